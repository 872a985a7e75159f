/** Omit over each member of a union (the built-in Omit collapses the union first). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
