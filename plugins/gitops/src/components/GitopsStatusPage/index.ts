export { GitopsStatusPage } from './GitopsStatusPage';
