// @ts-check

/**
 * A digest of each provider's last reported resources, so a poll that
 * changes nothing does not rewrite the rows, and replicas reload the
 * snapshot only when it changed.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('gitops_provider_state', table => {
    table
      .string('resources_version', 64)
      .nullable()
      .comment('SHA-256 of the resources of the last successful poll');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('gitops_provider_state', table => {
    table.dropColumn('resources_version');
  });
};
