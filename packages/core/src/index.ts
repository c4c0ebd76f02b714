export * from './capabilities';
export * from './packs/load';
export * from './packs/schema';
