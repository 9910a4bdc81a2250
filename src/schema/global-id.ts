import { ValidationError } from '../errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Relay global IDs are base64("Type:uuid"); anything else is rejected before it reaches the database. */
export function decodeId(globalID: string): { typename: string; id: string } {
  const decoded = Buffer.from(globalID, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const typename = decoded.slice(0, colon);
  const id = decoded.slice(colon + 1);
  if (colon <= 0 || !UUID.test(id)) {
    throw new ValidationError(`"${globalID.slice(0, 80)}" is not a valid ID`, [{ path: ['id'], message: 'not a valid ID' }]);
  }
  return { typename, id: id.toLowerCase() };
}

export const isUuid = (value: string) => UUID.test(value);

/** An id no row has: scopes queries to "nothing" when the caller has no tenant or passed a malformed id. */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
