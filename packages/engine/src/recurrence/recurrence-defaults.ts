/** Hours analysed when a request names no window: 30 days. */
export const defaultRecurrenceWindowHours = 720;
