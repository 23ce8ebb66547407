export { NamesrvController, createNamesrvController, type NamesrvControllerOptions } from './namesrv-controller.js';
export { NAMESRV_CONFIG_SCHEMA, type NamesrvConfig } from './config/namesrv-config.js';
export { RouteInfoManager, BROKER_CHANNEL_EXPIRED_TIME_MS } from './route/route-info-manager.js';
