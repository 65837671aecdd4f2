// @ts-check

/**
 * Per provider, its snapshot as one compact image, written with its rows in
 * the same transaction, so a restarted replica reads a few values per
 * provider instead of parsing every row. The image is stored gzipped in
 * pieces of at most 60 KiB: a poll then never holds a buffer of the whole
 * image for the driver. The rows stay the record: an image that is
 * missing, incomplete, of another format or of another version is not read.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('gitops_snapshot_images', table => {
    table.comment('The snapshot of each provider as one compact image');
    table.string('provider_id', 255).notNullable();
    table.integer('piece').notNullable().comment('0, 1, ... of the image');
    table.primary(['provider_id', 'piece']);
    table
      .string('resources_version', 64)
      .notNullable()
      .comment('The resources version (gitops_provider_state) it is of');
    table.integer('format').notNullable().comment('Image format');
    table.integer('pieces').notNullable().comment('How many pieces in all');
    table
      .binary('bytes')
      .notNullable()
      .comment('This piece of the gzip of the image');
    table.string('written_at', 32).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('gitops_snapshot_images');
};
