/** Text made safe to place in HTML (names and reflections come from users). */
export const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
