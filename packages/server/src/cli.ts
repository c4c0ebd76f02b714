import { parseArgs } from 'node:util';
import { advise, askSop } from '@casebook/core';
import { eq } from 'drizzle-orm';
import { checkScenarios, readScenario, ruleCoverage, ScenarioFileError } from './advise';
import { createUser } from './commands/createUser';
import { grantMembership, roleByName } from './commands/members';
import { ConfigError, loadConfig } from './config';
import type { RequestContext } from './context';
import { migrationState, runMigrations } from './db/migrate';
import { brands } from './db/schema';
import { demoLoginLines, seedDemo } from './demo';
import { loadPacks, PackLoadError } from './packs';
import { openConfiguredDatabase, startServer } from './server';

const HELP = `casebook: support operations for e-commerce teams

Usage: npx casebook <command> [options]

Commands:
  serve [--port N] [--no-demo]   Serve the API and web app (migrates first; creates the demo on an empty database)
  migrate                        Apply pending database migrations
  seed --demo                    Create the demo brands and accounts (adds only what is missing)
  user add --email E --name N --password P [--org-admin] [--brand SLUG --role ROLE]
                                 Create an account, optionally with a role in a brand
  packs validate [DIR]           Check SOP packs (default: the packs folder)
  packs coverage [DIR]           List every rule with the scenarios where it fires and where it must not
  advise FILE.json               Print the SOP advice for one scenario as JSON
  advise --check PATH...         Check every scenario with an expect block; ends with "N passed, M failed"
  ask --pack PACK "question" [--limit N]
                                 Ask the SOP: the pack's rules that answer the question, ranked, as JSON
  help                           Show this help

Environment: DATABASE_URL (PostgreSQL server; unset = embedded database in CASEBOOK_DATA_DIR, default ./data),
PORT, CASEBOOK_SECRET (required in production), CASEBOOK_DEMO=0 (no demo), NODE_ENV.`;

const systemCtx = (now: Date): RequestContext => ({ actor: { kind: 'system', name: 'cli' }, now });

/** Runs one CLI command and returns the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({
        args: rest,
        options: { port: { type: 'string' }, 'no-demo': { type: 'boolean' } },
      });
      const env = { ...process.env };
      if (values.port) env.PORT = values.port;
      if (values['no-demo']) env.CASEBOOK_DEMO = '0';
      const running = await startServer(loadConfig(env), { logger: true });
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return new Promise<number>(() => {});
    }
    case 'migrate': {
      const database = await openConfiguredDatabase(loadConfig());
      try {
        await runMigrations(database);
        const state = await migrationState(database);
        console.log(
          `Migrations applied: ${state.applied}/${state.available} (latest: ${state.latest}) on ${database.kind}.`,
        );
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'seed': {
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean' } } });
      if (!values.demo) {
        console.error('seed: only --demo is available.');
        return 2;
      }
      const config = loadConfig();
      const database = await openConfiguredDatabase(config);
      try {
        await runMigrations(database);
        const created = await seedDemo(
          database.db,
          loadPacks(config.packsDir),
          () => new Date(),
          config.mailDomain,
        );
        console.log(
          `Demo: ${created.brands} brands, ${created.users} accounts, ${created.memberships} memberships created.`,
        );
        for (const line of demoLoginLines()) console.log(line);
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'user': {
      const [sub, ...args] = rest;
      if (sub !== 'add') {
        console.error('user: only "user add" is available.');
        return 2;
      }
      const { values } = parseArgs({
        args,
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          password: { type: 'string' },
          'org-admin': { type: 'boolean' },
          brand: { type: 'string' },
          role: { type: 'string' },
        },
      });
      for (const key of ['email', 'name', 'password'] as const) {
        if (!values[key]) {
          console.error(`user add: --${key} is required.`);
          return 2;
        }
      }
      if (values.password!.length < 10) {
        console.error('user add: --password must be at least 10 characters.');
        return 2;
      }
      if (Boolean(values.brand) !== Boolean(values.role)) {
        console.error('user add: give --brand and --role together.');
        return 2;
      }
      const database = await openConfiguredDatabase(loadConfig());
      try {
        await runMigrations(database);
        const ctx = systemCtx(new Date());
        await database.db.transaction(async (tx) => {
          const user = await createUser(tx, ctx, {
            email: values.email!,
            name: values.name!,
            password: values.password!,
            isOrgAdmin: values['org-admin'] ?? false,
          });
          if (values.brand) {
            const [brand] = await tx.select().from(brands).where(eq(brands.slug, values.brand));
            if (!brand) throw new Error(`--brand: no brand has the slug "${values.brand}".`);
            const role = await roleByName(tx, brand.id, values.role!, '--role');
            await grantMembership(tx, ctx, brand.id, user, role);
          }
          console.log(
            `Created ${user.email}${values.brand ? ` with role ${values.role} in ${values.brand}` : ''}.`,
          );
        });
      } finally {
        await database.close();
      }
      return 0;
    }
    case 'advise': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { check: { type: 'boolean' } },
        allowPositionals: true,
      });
      const packs = loadPacks(loadConfig().packsDir);
      if (positionals.length === 0) {
        console.error('advise: give a scenario file (or --check PATH...).');
        return 2;
      }
      if (!values.check) {
        const scenario = readScenario(positionals[0]!, packs);
        console.log(JSON.stringify(advise(packs.get(scenario.pack)!, scenario), null, 2));
        return 0;
      }
      const report = checkScenarios(positionals, packs);
      for (const f of report.failed) console.log(`FAIL ${f.id} (${f.file}): ${f.failures.join('; ')}`);
      console.log(`${report.passed} passed, ${report.failed.length} failed`);
      return report.failed.length > 0 ? 1 : 0;
    }
    case 'ask': {
      const { values, positionals } = parseArgs({
        args: rest,
        options: { pack: { type: 'string' }, limit: { type: 'string' } },
        allowPositionals: true,
      });
      const question = positionals.join(' ').trim();
      const pack = values.pack ? loadPacks(loadConfig().packsDir).get(values.pack) : undefined;
      if (!values.pack || !question) {
        console.error('ask: give a pack and a question: ask --pack PACK "question".');
        return 2;
      }
      if (!pack) {
        console.error(`ask: no pack "${values.pack}".`);
        return 2;
      }
      const limit = values.limit ? Number(values.limit) : 5;
      const answers = askSop(pack, question, { limit: Number.isInteger(limit) && limit > 0 ? limit : 5 });
      console.log(
        JSON.stringify(
          answers.map(({ rule, title, answer, macros, processes, source }) => ({
            rule,
            title,
            answer,
            macros,
            processes,
            source,
          })),
          null,
          2,
        ),
      );
      return 0;
    }
    case 'packs': {
      const [sub, dir] = rest;
      if (sub === 'coverage') {
        const packsDir = dir ?? loadConfig().packsDir;
        const packs = loadPacks(packsDir);
        const rows = ruleCoverage([packsDir, ...rest.slice(2)], packs);
        let incomplete = 0;
        for (const row of rows) {
          const ok = row.fires.length > 0 && row.silent.length > 0;
          if (!ok) incomplete++;
          console.log(
            `${ok ? 'ok  ' : 'GAP '} ${row.pack} ${row.rule}  fires: ${row.fires.join(', ') || '-'}  silent: ${row.silent.join(', ') || '-'}`,
          );
        }
        console.log(`${rows.length - incomplete} rules covered both ways, ${incomplete} with a gap`);
        return incomplete > 0 ? 1 : 0;
      }
      if (sub !== 'validate') {
        console.error('packs: "packs validate [DIR]" or "packs coverage [DIR [SCENARIO_DIRS...]]".');
        return 2;
      }
      const registry = loadPacks(dir ?? loadConfig().packsDir);
      for (const pack of registry.list()) console.log(`ok  ${pack.manifest.id} ${pack.manifest.version}`);
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      console.log(HELP);
      return 0;
    default:
      console.error(`Unknown command "${command}".\n\n${HELP}`);
      return 2;
  }
}

/** The process entry point: runs the command and turns known failures into clear messages. */
export async function main(argv: string[]) {
  try {
    process.exitCode = await runCli(argv);
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof PackLoadError ||
      error instanceof ScenarioFileError
    ) {
      console.error(error.message);
      process.exitCode = 2;
      return;
    }
    const message = (error as Error).message ?? String(error);
    console.error(`casebook: ${message}`);
    process.exitCode = 1;
  }
}
