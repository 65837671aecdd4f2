// @ts-check

/**
 * A digest of each resource's row, so a poll writes only the rows that
 * changed and a digest of the provider's resources needs no payloads.
 * Rows written before have none and are rewritten by the next poll.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gitops_live_resources', table => {
    table
      .string('digest', 64)
      .nullable()
      .comment('SHA-256 of the payload (LiveResource as JSON)');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gitops_live_resources', table => {
    table.dropColumn('digest');
  });
};
