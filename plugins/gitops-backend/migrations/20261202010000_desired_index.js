// @ts-check

/**
 * The desired-state index of the GitOps repository as last read, so a
 * restarted replica answers what Git wants at once and re-parses only the
 * service folders that changed since (none when the repository did not
 * move), instead of parsing every folder before its first answer.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_desired_index', table => {
    table.comment('The desired-state index of the GitOps repository');
    table
      .string('source', 64)
      .primary()
      .comment('Digest of the repository and apps folder the index is of');
    table.string('version', 255).nullable();
    table.string('revision', 255).nullable();
    table
      .text('payload', 'longtext')
      .notNullable()
      .comment('JSON: [[path, folder digest, DesiredServiceState], ...]');
    table.string('written_at', 32).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_desired_index');
};
