export {
  ConfiguredSignInPage,
  readSignInProviders,
} from './ConfiguredSignInPage';
