/**
 * The policy layer: every route calls it before it reads or changes anything. Entity policies say
 * which actions an actor may take on one entity; the API returns that list with the entity so the
 * UI hides what the user may not do, using the same rules.
 */
export * from './access';
export * from './entities';
