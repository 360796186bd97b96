import { startTracing } from './tracing';

/** Started on import, before main.ts imports what tracing patches; undefined when tracing is off. */
export const tracing = startTracing();
