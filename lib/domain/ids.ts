// Ids of the platform (SPEC 4): positive int32.

export const INT32_MAX = 2_147_483_647;
