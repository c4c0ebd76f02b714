/** The in-memory IMAP server the IMAP poller's tests run against (the package ships no types). */
declare module 'hoodiecrow-imap' {
  import type { Server } from 'node:net';

  type Options = {
    plugins?: string[];
    storage?: Record<string, { messages?: { raw: string; flags?: string[] }[] }>;
    users?: Record<string, { password: string }>;
  };
  type ImapServer = {
    server: Server;
    listen(port: number, host: string, callback: () => void): void;
    close(callback?: () => void): void;
  };

  export default function hoodiecrow(options?: Options): ImapServer;
}
