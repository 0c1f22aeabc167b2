import type { Response } from 'supertest';

/** Asserts an RFC 9457 problem-details answer, optionally naming a field, and returns its body. */
export function expectProblem(res: Response, status: number, field?: string): Record<string, any> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: expect.stringMatching(/^https:\/\//),
    title: expect.any(String),
    status,
    detail: expect.any(String),
  });
  expect(JSON.stringify(res.body)).not.toMatch(/\s+at\s.+\.(js|ts):\d+/); // never a stack trace
  if (field) expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  return res.body;
}
