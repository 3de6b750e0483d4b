// Condition and update expressions: the conditions a write is guarded by, composed without hand-written placeholders.
export type Values = Record<string, unknown>;
export type Names = Record<string, string>;

export interface Condition {
  ConditionExpression: string;
  ExpressionAttributeNames?: Names;
  ExpressionAttributeValues?: Values;
}

export const cond = {
  /** The item must not exist yet. */
  absent: (): Condition => ({ ConditionExpression: 'attribute_not_exists(pk)' }),
  /** Optimistic lock on a numeric attribute; `undefined` means the item must not exist. */
  versionIs: (expected: number | undefined, attribute = 'version'): Condition =>
    expected === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: `#cv_${attribute} = :cv_${attribute}`,
          ExpressionAttributeNames: { [`#cv_${attribute}`]: attribute },
          ExpressionAttributeValues: { [`:cv_${attribute}`]: expected },
        },
  exists: (): Condition => ({ ConditionExpression: 'attribute_exists(pk)' }),
  /**
   * The item exists at internal revision `rev` (an item written before revisions existed counts as 0);
   * `undefined` means the item must not exist.
   */
  revIs: (rev: number | undefined): Condition =>
    rev === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : rev === 0
        ? { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#cv_rev)', ExpressionAttributeNames: { '#cv_rev': 'rev' } }
        : { ConditionExpression: '#cv_rev = :cv_rev', ExpressionAttributeNames: { '#cv_rev': 'rev' }, ExpressionAttributeValues: { ':cv_rev': rev } },
};

/** Merges two condition fragments with AND (names and values must not clash). */
export function andConditions(a: Condition, b: Condition): Condition {
  return {
    ConditionExpression: `(${a.ConditionExpression}) AND (${b.ConditionExpression})`,
    ExpressionAttributeNames: { ...a.ExpressionAttributeNames, ...b.ExpressionAttributeNames },
    ExpressionAttributeValues: { ...a.ExpressionAttributeValues, ...b.ExpressionAttributeValues },
  };
}
