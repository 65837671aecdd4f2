export { CopyButton, TruncatedValue } from './TruncatedValue';
