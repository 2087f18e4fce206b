// E-mail for browser tests: the server's `[email]` settings towards a loopback port
// (`mailEnv`), a port nothing listens on (`closedPort`, for tests that only need messages
// queued), and a small SMTP receiver for tests that need to read an e-mail the server sent (a
// sign-in link): it speaks enough SMTP for the server's client (EHLO, MAIL, RCPT, DATA,
// RSET, NOOP, QUIT), keeps each message, and decodes its text (7bit, quoted-printable or
// base64). The e-mail checks against a full SMTP server are tests/email (aiosmtpd).

import net from 'node:net';

/**
 * A loopback port nothing listens on.
 *
 * @returns {Promise<number>} the port
 */
export function closedPort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The server's environment for e-mail through plain SMTP on a loopback port.
 *
 * @param {number} port the SMTP port
 * @returns {Object<string,string>} OPHIONTT_EMAIL_* settings
 */
export function mailEnv(port) {
  return {
    OPHIONTT_EMAIL_SMTP_HOST: '127.0.0.1',
    OPHIONTT_EMAIL_SMTP_PORT: String(port),
    OPHIONTT_EMAIL_SECURITY: 'none',
    OPHIONTT_EMAIL_FROM: 'OphionTT <tt@example.com>',
  };
}

/** The text of a message: its body after the headers, transfer-decoded. */
function textOf(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const encoding = (/^content-transfer-encoding:\s*(\S+)/im.exec(head) || [])[1] || '7bit';
  if (/^base64$/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (/^quoted-printable$/i.test(encoding)) {
    const bytes = body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/**
 * Starts the receiver.
 *
 * @returns {Promise<{port:number, messages:Array<{to:string[], raw:string, text:string}>, next:(to:string, timeout?:number)=>Promise<Object>, close:()=>Promise<void>}>}
 */
export async function startSmtp() {
  const messages = [];
  const sockets = new Set();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let inData = false;
    let to = [];
    const say = (line) => socket.write(`${line}\r\n`);
    say('220 localhost ESMTP test receiver');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const raw = Buffer.from(buffer.slice(0, end).replace(/\r\n\.\./g, '\r\n.'), 'latin1').toString('utf8');
          buffer = buffer.slice(end + 5);
          messages.push({ to, raw, text: textOf(raw) });
          to = [];
          inData = false;
          say('250 2.0.0 accepted');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-localhost\r\n250 8BITMIME\r\n');
        else if (verb === 'HELO' || verb === 'MAIL' || verb === 'RSET' || verb === 'NOOP') say('250 2.0.0 ok');
        else if (verb === 'RCPT') {
          to.push((/<([^>]*)>/.exec(line) || [])[1] || '');
          say('250 2.1.5 ok');
        } else if (verb === 'DATA') {
          inData = true;
          say('354 end with <CRLF>.<CRLF>');
        } else if (verb === 'QUIT') {
          say('221 2.0.0 bye');
          socket.end();
        } else say('502 5.5.2 not implemented');
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    messages,
    /** The first message to `to` not yet taken, waiting up to `timeout` ms. */
    async next(address, timeout = 15_000) {
      const until = Date.now() + timeout;
      while (Date.now() < until) {
        const i = messages.findIndex((m) => m.to.includes(address) && !m.taken);
        if (i >= 0) {
          messages[i].taken = true;
          return messages[i];
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no e-mail to ${address} within ${timeout} ms`);
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
