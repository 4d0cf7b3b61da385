export const MIGRATIONS_DIR: string;
export function migrateDatabase(url: string): Promise<void>;
