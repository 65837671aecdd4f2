import {
  ErrorPanel,
  IdentityProviders,
  SignInPage,
} from '@backstage/core-components';
import {
  ConfigApi,
  configApiRef,
  githubAuthApiRef,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';

type SignInProvider = IdentityProviders[number];

const KNOWN: Record<string, SignInProvider> = {
  guest: 'guest',
  github: {
    id: 'github-auth-provider',
    title: 'GitHub',
    message: 'Sign in using GitHub',
    apiRef: githubAuthApiRef,
  },
};

/**
 * The providers `app.signIn.providers` names, or an Error naming the key and
 * the rule. No default: a missing key must not fall back to guest sign-in.
 */
export function readSignInProviders(
  config: ConfigApi,
): SignInProvider[] | Error {
  const names = config.getOptionalStringArray('app.signIn.providers');
  if (!names?.length) {
    return new Error(
      'app.signIn.providers is not set: list the sign-in providers the backend enables, e.g. [github]',
    );
  }
  const providers: SignInProvider[] = [];
  for (const [i, name] of names.entries()) {
    const provider = KNOWN[name];
    if (!provider) {
      return new Error(
        `app.signIn.providers[${i}] "${name}" is not one of ${Object.keys(
          KNOWN,
        ).join(', ')}`,
      );
    }
    providers.push(provider);
  }
  return providers;
}

/** The sign-in page with the providers the config enables. */
export function ConfiguredSignInPage(props: SignInPageProps) {
  const providers = readSignInProviders(useApi(configApiRef));
  if (providers instanceof Error) {
    return <ErrorPanel title="Sign-in is not configured" error={providers} />;
  }
  return <SignInPage {...props} providers={providers} />;
}
