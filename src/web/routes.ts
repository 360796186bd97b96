import express, { type Router } from 'express';
import type { Settings } from '../config/env';
import { dashboardRoutes } from './dashboard';
import { explorerRoutes } from './explorer';

/** The browser pages: the local explorer (/explorer) and the live dashboard (/dashboard). */
export function webPages(settings: Settings): Router {
  const router = express.Router();
  router.use(explorerRoutes(settings.introspection));
  router.use(dashboardRoutes());
  return router;
}
