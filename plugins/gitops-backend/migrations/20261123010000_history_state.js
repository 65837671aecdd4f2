// @ts-check

/**
 * Per provider, a digest of the images its last recorded poll reported, so
 * a poll that changes no image reads one row and writes nothing to the
 * history, and a poll whose history write failed is recorded by the next.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_history_state', table => {
    table.comment('Images last recorded into gitops_history, per provider');
    table.string('provider_id', 255).primary();
    table
      .string('images_version', 64)
      .notNullable()
      .comment('SHA-256 of each resource key and its images');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_history_state');
};
