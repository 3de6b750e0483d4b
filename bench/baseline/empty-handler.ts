// The empty floor of the cold-start table (see floors.ts).
export { empty as handler } from './floors.js';
