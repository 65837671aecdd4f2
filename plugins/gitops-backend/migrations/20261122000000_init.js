// @ts-check

/**
 * The live-state snapshot: one row per resource a provider reported in its
 * last successful poll, and one row per provider with the outcome of its
 * last poll. `since` keeps when a resource's sync and health last changed,
 * so "OutOfSync since 10:42" survives restarts.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_live_resources', table => {
    table.comment(
      'Resources reported by GitOps controllers in their last successful poll',
    );
    table.string('provider_id', 255).notNullable();
    table.string('resource_key', 512).notNullable();
    table.text('payload').notNullable().comment('LiveResource as JSON');
    table.string('sync', 32).notNullable();
    table.string('health', 32).notNullable();
    table
      .string('since', 32)
      .notNullable()
      .comment('ISO time sync and health last changed');
    table.string('seen_at', 32).notNullable();
    table.primary(['provider_id', 'resource_key']);
  });
  await knex.schema.createTable('gitops_provider_state', table => {
    table.comment('Outcome of the last poll of each live-state provider');
    table.string('provider_id', 255).primary();
    table.boolean('ok').notNullable();
    table.text('error').nullable();
    table.string('last_attempt_at', 32).notNullable();
    table.string('last_success_at', 32).nullable();
    table.string('failing_since', 32).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_provider_state');
  await knex.schema.dropTable('gitops_live_resources');
};
