// TEMPORARY placeholder while the real entry point is being written; replaced in this change.
export const handler = async (): Promise<{ statusCode: number }> => ({ statusCode: 500 });
