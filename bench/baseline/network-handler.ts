// The network floor of the cold-start table (see floors.ts).
export { network as handler } from './floors.js';
