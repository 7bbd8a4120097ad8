export { HOSTILE_PASSWORD, hostilePgUrls, hostileRedisUrls } from './hostile-urls.js';
