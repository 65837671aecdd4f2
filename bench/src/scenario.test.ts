import {
  ARGOCD_INSTANCE,
  buildApplications,
  benchComponent,
  expectedEnvironments,
  fleetInstances,
  instanceName,
  serviceName,
  teamName,
} from './scenario';
import { checkArgoApplications, checkGitopsAnswer } from './checks';

describe('bench scenario', () => {
  it('has three applications per service, labelled as the golden path labels them', () => {
    const apps = buildApplications(10);
    expect(apps).toHaveLength(30);
    expect(new Set(apps.map(a => a.metadata.name)).size).toBe(30);
    expect(apps[0].metadata.labels).toEqual({
      'app.kubernetes.io/name': 'svc-00001',
      'gitops/environment': 'dev',
    });
  });

  it('builds the applications of a range of services, the same as in the whole', () => {
    const range = buildApplications(4, 7);
    expect(range).toHaveLength(9);
    expect(range[0].metadata.name).toBe('svc-00005-dev');
    expect(range[8].metadata.name).toBe('svc-00007-production');
    expect(range).toEqual(buildApplications(10).slice(12, 21));
    expect(buildApplications(5, 5)).toEqual([]);
  });

  it('spreads a fleet over instances in contiguous blocks, the first named as the catalog says', () => {
    expect(fleetInstances(33334, 10)).toHaveLength(10);
    expect(fleetInstances(33334, 10)[0]).toEqual({
      name: ARGOCD_INSTANCE,
      from: 0,
      to: 3334,
    });
    expect(fleetInstances(33334, 10)[9]).toEqual({
      name: 'bench-10',
      from: 30006,
      to: 33334,
    });
    const blocks = fleetInstances(6000, 3);
    expect(blocks).toEqual([
      { name: 'bench', from: 0, to: 2000 },
      { name: 'bench-2', from: 2000, to: 4000 },
      { name: 'bench-3', from: 4000, to: 6000 },
    ]);
    // Every service in exactly one instance, in order, whatever the split.
    for (const [services, instances] of [
      [33334, 10],
      [10, 3],
      [7, 7],
      [2, 3],
      [1, 1],
    ]) {
      const fleet = fleetInstances(services, instances);
      expect(fleet).toHaveLength(instances);
      expect(fleet[0].from).toBe(0);
      expect(fleet[instances - 1].to).toBe(services);
      for (let k = 1; k < instances; k++) {
        expect(fleet[k].from).toBe(fleet[k - 1].to);
      }
    }
    // Ten thousand applications (or a few more) in each of ten instances.
    for (const block of fleetInstances(33334, 10)) {
      expect((block.to - block.from) * 3).toBeGreaterThanOrEqual(9984);
      expect((block.to - block.from) * 3).toBeLessThanOrEqual(10002);
    }
    expect(() => fleetInstances(10, 0)).toThrow(/at least one instance/);
    expect(instanceName(0)).toBe('bench');
    expect(instanceName(1)).toBe('bench-2');
  });

  it('mixes healthy, progressing and drifting environments', () => {
    const all = Array.from({ length: 100 }, (_, i) =>
      expectedEnvironments(i),
    ).flat();
    expect(all.filter(e => e.sync === 'OutOfSync').length).toBeGreaterThan(5);
    expect(all.filter(e => e.health === 'Progressing').length).toBeGreaterThan(
      5,
    );
    expect(all.filter(e => e.desiredTag !== e.liveTag).length).toBeGreaterThan(
      5,
    );
  });

  it('puts teamSize components in each team and annotates them for all three plugins', () => {
    expect(teamName(0, 200)).toBe('team-001');
    expect(teamName(199, 200)).toBe('team-001');
    expect(teamName(200, 200)).toBe('team-002');
    const entity = benchComponent(41, 200);
    expect(entity.metadata.name).toBe(serviceName(41));
    expect(entity.metadata.annotations).toMatchObject({
      'gitops/path': 'apps/svc-00042',
      'argocd/app-selector': 'app.kubernetes.io/name=svc-00042',
      'argocd/instance-name': 'bench',
    });
  });
});

describe('answer checks', () => {
  const index = 3; // production lags: OutOfSync, Degraded, drift
  const apps = buildApplications(5).filter(
    a => a.metadata.labels?.['app.kubernetes.io/name'] === serviceName(index),
  );

  it('accepts the applications of the service and refuses anything else', () => {
    expect(checkArgoApplications(index, apps)).toBeUndefined();
    expect(checkArgoApplications(index, apps.slice(1))).toMatch(
      /2 applications/,
    );
    expect(checkArgoApplications(index, null)).toMatch(/0 applications/);
    const other = buildApplications(5).filter(
      a => a.metadata.labels?.['app.kubernetes.io/name'] === serviceName(4),
    );
    expect(checkArgoApplications(index, other)).toMatch(/expected/);
  });

  it('checks the desired tag, live tag, sync, health and drift of our answer', () => {
    const environments = expectedEnvironments(index).map(e => ({
      name: e.environment,
      desired: { image: 'x', tag: e.desiredTag },
      live: {
        images: [
          `registry.example.com/bench/${serviceName(index)}:${e.liveTag}`,
        ],
        sync: e.sync,
        health: e.health,
      },
      drift: e.desiredTag !== e.liveTag,
    }));
    expect(checkGitopsAnswer(index, { environments })).toBeUndefined();
    expect(
      checkGitopsAnswer(index, {
        environments: environments.map(e => ({ ...e, drift: false })),
      }),
    ).toMatch(/production: drift false/);
    expect(
      checkGitopsAnswer(index, {
        environments: environments.map(e =>
          e.name === 'staging'
            ? { ...e, desired: { image: 'x', tag: 'v0' } }
            : e,
        ),
      }),
    ).toMatch(/staging: desired v0/);
    expect(
      checkGitopsAnswer(index, { environments: environments.slice(0, 2) }),
    ).toMatch(/no production environment/);
    expect(
      checkGitopsAnswer(index, {
        environments: environments.map(e => ({
          ...e,
          error: { message: 'unreachable' },
        })),
      }),
    ).toMatch(/unreachable/);
  });
});
