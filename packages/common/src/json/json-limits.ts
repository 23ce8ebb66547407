/** Nesting depth the lenient JSON parser and the fastjson writer accept; deeper input gets a result, not a stack overflow. */
export const JSON_NESTING_DEPTH_MAX = 512;
