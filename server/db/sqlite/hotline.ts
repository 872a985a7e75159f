// #16: a 12345 order is found by its number and the key that sent it (a second report of the same order answers
// the incident it became), and the desk searches for it. The number lives in the incident's JSON; an expression
// index, partial to the few incidents that carry an order, finds it without a column of its own.

const ORDER_NO = `(data ->> '$.hotline.orderNo')`

export const HOTLINE_MIGRATION = `
  CREATE INDEX incidents_hotline_order ON incidents (${ORDER_NO}, reporter_id) WHERE ${ORDER_NO} IS NOT NULL;
  -- The desk's free text finds an order by its number (server/db/sqlite/queue.ts writes it from now on).
  UPDATE incidents SET search_text = search_text || char(10) || lower(${ORDER_NO}) WHERE ${ORDER_NO} IS NOT NULL;
`

/** The incident an order became, by the order's number and its sender (the first, should there be two). */
export const FIND_HOTLINE_ORDER = `SELECT data FROM incidents WHERE ${ORDER_NO} = ? AND reporter_id = ? ORDER BY reported_at, id LIMIT 1`
