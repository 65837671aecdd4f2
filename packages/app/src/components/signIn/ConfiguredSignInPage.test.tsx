import {
  configApiRef,
  discoveryApiRef,
  githubAuthApiRef,
} from '@backstage/core-plugin-api';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  ConfiguredSignInPage,
  readSignInProviders,
} from './ConfiguredSignInPage';

const render = (app: object) =>
  renderInTestApp(
    <TestApiProvider
      apis={[
        [
          configApiRef,
          mockApis.config({
            data: {
              app: { title: 'Portal', ...app },
              backend: { baseUrl: 'http://localhost:7007' },
            },
          }),
        ],
        [githubAuthApiRef, mockApis.identity() as any],
        [discoveryApiRef, mockApis.discovery()],
      ]}
    >
      <ConfiguredSignInPage onSignInSuccess={jest.fn()} />
    </TestApiProvider>,
  );

describe('ConfiguredSignInPage', () => {
  it('offers GitHub and no guest with the production config', async () => {
    await render({ signIn: { providers: ['github'] } });
    expect(await screen.findByText('Sign in using GitHub')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /sign in/i }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /enter/i })).toBeNull();
  });

  it('offers guest and no GitHub with the development config', async () => {
    await render({ signIn: { providers: ['guest'] } });
    expect(await screen.findByText('Guest')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /enter/i })).toBeInTheDocument();
    expect(screen.queryByText('Sign in using GitHub')).not.toBeInTheDocument();
  });

  it('offers nothing, and says what is missing, without the key', async () => {
    await render({});
    expect(
      (await screen.findAllByText(/app\.signIn\.providers is not set/)).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /enter/i })).toBeNull();
  });
});

describe('readSignInProviders', () => {
  it('refuses an unknown provider, naming the entry', () => {
    const result = readSignInProviders(
      mockApis.config({
        data: { app: { signIn: { providers: ['github', 'gitlab'] } } },
      }),
    );
    expect(result).toEqual(
      new Error('app.signIn.providers[1] "gitlab" is not one of guest, github'),
    );
  });
});
