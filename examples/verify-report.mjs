#!/usr/bin/env node
/**
 * Checks a submitted report you received against Styrman's signed statement of it, offline, with Node alone
 * (node:crypto; nothing to install).
 *
 *   node verify-report.mjs --report report.json --statement statement.json --keys keys.json [--chain chain.json]
 *
 *   --report     the report file, exactly as received (GET /api/v1/report-submissions/{id}/report)
 *   --statement  the statement (GET /api/v1/report-submissions/{id}/statement); give it more than once to check
 *                several statements in chain order, each naming the one before it
 *   --keys       the published keys (GET /.well-known/styrman-keys), a JWKS
 *   --chain      optional: the chain (every page of GET /api/v1/statements, as one JSON array of the pages or of
 *                their items), to see that it is unbroken and that it holds the statement in its place
 *
 * Prints "valid" and exits 0, or prints "not valid: <exactly why>" and exits 1; a file that cannot be read or
 * parsed exits 2.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

class Invalid extends Error {}
class Unusable extends Error {}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function readJson(file, what) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Unusable(`cannot read ${what} ${file}: ${error.message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Unusable(`${what} ${file} is not JSON: ${error.message}`);
  }
}

/** The JWK thumbprint (RFC 7638) of an Ed25519 key: what its kid must be. */
function thumbprint(x) {
  return createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');
}

/** Checks one statement file against the keys: its signature, by a published key. Returns the signed facts. */
function checkStatement(file, keys) {
  const signed = readJson(file, 'the statement');
  for (const field of ['statement', 'signature', 'keyId']) {
    if (typeof signed[field] !== 'string')
      throw new Unusable(`the statement ${file} has no "${field}" (it should be the JSON of GET /report-submissions/{id}/statement)`);
  }
  const key = keys.find((k) => k.kid === signed.keyId);
  if (!key) {
    throw new Invalid(
      `the statement ${file} is signed by key ${signed.keyId}, which is not among the published keys (${keys.map((k) => k.kid).join(', ') || 'none'})`,
    );
  }
  if (key.kty !== 'OKP' || key.crv !== 'Ed25519' || typeof key.x !== 'string') {
    throw new Invalid(`the published key ${key.kid} is not an Ed25519 key (kty OKP, crv Ed25519)`);
  }
  if (thumbprint(key.x) !== key.kid) {
    throw new Invalid(`the published key ${key.kid} does not match its kid (its thumbprint is ${thumbprint(key.x)})`);
  }
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.x }, format: 'jwk' });
  const text = Buffer.from(signed.statement, 'utf8');
  if (!verify(null, text, publicKey, Buffer.from(signed.signature, 'base64'))) {
    throw new Invalid(
      `the signature in ${file} does not match its statement with key ${key.kid}: the statement was changed after it was signed, or the signature is not of it`,
    );
  }
  let facts;
  try {
    facts = JSON.parse(signed.statement);
  } catch {
    throw new Invalid(`the signed statement in ${file} is not JSON`);
  }
  for (const field of ['submissionId', 'sha256', 'submittedAt']) {
    if (typeof facts[field] !== 'string') throw new Invalid(`the signed statement in ${file} has no "${field}"`);
  }
  if (!('previous' in facts)) throw new Invalid(`the signed statement in ${file} has no "previous"`);
  return { file, facts, hash: sha256(text) };
}

/** The chain's links, from the pages of GET /statements or their items. */
function chainLinks(chain) {
  const list = Array.isArray(chain) ? chain : [chain];
  return list.flatMap((entry) => (entry && Array.isArray(entry.items) ? entry.items : [entry]));
}

/** Checks that the chain is unbroken from position 1, and that each statement is in it, in its place. */
function checkChain(links, statements) {
  let before;
  for (const link of links) {
    if (!link || typeof link.position !== 'number' || typeof link.sha256 !== 'string') {
      throw new Unusable('the chain holds something that is not a link ({ "position", "sha256", "previous" })');
    }
    const expected = before ? before.position + 1 : 1;
    if (link.position !== expected) {
      throw new Invalid(
        before
          ? `the chain goes from position ${before.position} to ${link.position}: ${link.position - expected} statement(s) missing between them`
          : `the chain starts at position ${link.position}, not 1: the statements before it are missing`,
      );
    }
    const previous = before ? before.sha256 : null;
    if (link.previous !== previous) {
      throw new Invalid(
        `the chain is broken at position ${link.position}: it names previous ${link.previous}, but the statement before it hashes to ${previous}` +
          ' (a statement was removed, changed or put in another place)',
      );
    }
    before = link;
  }
  for (const s of statements) {
    const link = links.find((l) => l.sha256 === s.hash);
    if (!link) throw new Invalid(`the statement in ${s.file} (SHA-256 ${s.hash}) is not in the chain`);
    if (link.previous !== s.facts.previous) {
      throw new Invalid(
        `the statement in ${s.file} names previous ${s.facts.previous}, but its place in the chain (position ${link.position}) has ${link.previous}`,
      );
    }
  }
}

function main() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        report: { type: 'string' },
        statement: { type: 'string', multiple: true },
        keys: { type: 'string' },
        chain: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new Unusable(error.message);
  }
  if (!values.report || !values.statement?.length || !values.keys) {
    throw new Unusable(
      'usage: node verify-report.mjs --report <file> --statement <file> [--statement <file>…] --keys <file> [--chain <file>]',
    );
  }
  let report;
  try {
    report = readFileSync(values.report);
  } catch (error) {
    throw new Unusable(`cannot read the report ${values.report}: ${error.message}`);
  }
  const jwks = readJson(values.keys, 'the keys');
  if (!Array.isArray(jwks.keys)) throw new Unusable(`the keys ${values.keys} are not a JWKS ({ "keys": [...] })`);

  const statements = values.statement.map((file) => checkStatement(file, jwks.keys));
  // Several statements: in chain order, each naming the one before it.
  for (let i = 1; i < statements.length; i++) {
    const [a, b] = [statements[i - 1], statements[i]];
    if (b.facts.previous !== a.hash) {
      throw new Invalid(
        `the statement in ${b.file} names previous ${b.facts.previous}, but the statement before it (${a.file}) hashes to ${a.hash}: ` +
          'a statement between them is missing, or they are out of order',
      );
    }
  }
  const reportHash = sha256(report);
  const match = statements.find((s) => s.facts.sha256 === reportHash);
  if (!match) {
    const said = statements.map((s) => `${s.facts.sha256} (submission ${s.facts.submissionId})`).join(', ');
    throw new Invalid(
      `the report's SHA-256 is ${reportHash}, but the signed statement says ${said}: ${values.report} is not the report submitted`,
    );
  }
  if (values.chain) checkChain(chainLinks(readJson(values.chain, 'the chain')), statements);
  return match;
}

try {
  const match = main();
  process.stdout.write(`valid\n`);
  process.stderr.write(`report of submission ${match.facts.submissionId}, submitted at ${match.facts.submittedAt}\n`);
} catch (error) {
  if (error instanceof Invalid) {
    process.stdout.write(`not valid: ${error.message}\n`);
    process.exitCode = 1;
  } else if (error instanceof Unusable) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
