// @ts-check

/**
 * What each resource has run: one row per run of a set of images, opened
 * when a poll first sees them and closed when a poll sees others (or the
 * resource gone). Bounded per resource by the backend; feeds the history
 * route and the rollback rule of promotions.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_history', table => {
    table.comment('Images each live resource has run, newest last');
    table.bigIncrements('id').primary();
    table.string('provider_id', 255).notNullable();
    table.string('resource_key', 512).notNullable();
    table.text('images').notNullable().comment('JSON array, sorted');
    table.string('revision', 255).nullable();
    table.string('since', 32).notNullable().comment('ISO time first seen');
    table
      .string('until', 32)
      .nullable()
      .comment('ISO time replaced; null while it runs');
    table.index(['provider_id', 'resource_key'], 'gitops_history_resource_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_history');
};
