export { EnvironmentHistory, EnvironmentHistories } from './EnvironmentHistory';
