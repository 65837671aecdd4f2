import {
  controllerObjectName,
  environmentOfControllerObjectName,
} from './controllerNames';

describe('controller object names', () => {
  it('names the object <service>-<environment> and reads the environment back', () => {
    const envs = ['staging', 'production', 'pre-production'];
    for (const env of envs) {
      expect(
        environmentOfControllerObjectName(
          controllerObjectName('my-svc', env),
          envs,
        ),
      ).toBe(env);
    }
  });

  it('prefers the longest environment and finds none in a foreign name', () => {
    expect(
      environmentOfControllerObjectName('svc-pre-production', [
        'production',
        'pre-production',
      ]),
    ).toBe('pre-production');
    expect(
      environmentOfControllerObjectName('svc', ['production']),
    ).toBeUndefined();
    expect(
      environmentOfControllerObjectName('svcproduction', ['production']),
    ).toBeUndefined();
  });
});
