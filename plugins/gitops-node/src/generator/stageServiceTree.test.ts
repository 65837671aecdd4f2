import { ConfigReader } from '@backstage/config';
import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'fs-extra';
import path from 'node:path';
import { readPlatformProfile } from '../profile';
import { generateService } from './generateService';
import { renderKustomize } from './renderKustomize';
import { publishServiceTree, stageServiceTree } from './stageServiceTree';
import { validateObjects } from './validateObjects';

// kubectl kustomize and the schema models load slowly on a busy machine.
jest.setTimeout(60_000);

const profile = readPlatformProfile(
  new ConfigReader({
    gitops: {
      repository: { url: 'https://git.example.com/gitops.git' },
      environments: [
        {
          name: 'staging',
          defaultTag: 'latest',
          secretStore: { keyPrefix: 'staging/' },
        },
        { name: 'qa', replicas: 2, defaultTag: 'main' },
        {
          name: 'production',
          replicas: 3,
          resourceTier: 'medium',
          tagPolicy: 'immutable',
          secretStore: { keyPrefix: 'production/' },
        },
      ],
    },
  }),
);

const generated = (controller: 'argocd' | 'flux' = 'argocd') =>
  generateService(
    {
      name: 'my-ai-service',
      owner: 'group:default/ml-team',
      image: 'registry.example.com/my-ai-service',
      config: { LOG_LEVEL: 'info' },
      secrets: [{ name: 'API_KEY', remoteKey: 'api-key' }],
      environments: [
        { name: 'staging' },
        { name: 'qa' },
        { name: 'production', imageTag: 'v1.2.3' },
      ],
      controller,
    },
    profile,
  );

const kubectl = { validate: true, path: 'kubectl' };

describe('stageServiceTree (with the real kubectl kustomize)', () => {
  it.each(['argocd', 'flux'] as const)(
    'renders every overlay of the %s variant to the expected objects',
    async controller => {
      const staged = await stageServiceTree(generated(controller), { kubectl });
      try {
        expect(staged.renders).toEqual([
          { environment: 'staging', rendered: true, objectCount: 5 },
          { environment: 'qa', rendered: true, objectCount: 6 },
          { environment: 'production', rendered: true, objectCount: 6 },
        ]);
        const prod = await renderKustomize(
          path.join(staged.dir, 'overlays/production'),
        );
        if (!prod.rendered) throw new Error(prod.reason);
        const kinds = prod.objects
          .map(o => `${o.kind}/${o.metadata.name}`)
          .sort();
        expect(kinds).toEqual([
          'ConfigMap/my-ai-service-config',
          'Deployment/my-ai-service',
          'ExternalSecret/my-ai-service-secrets',
          'PodDisruptionBudget/my-ai-service',
          'Service/my-ai-service',
          'ServiceAccount/my-ai-service',
        ]);
        const deployment = prod.objects.find(o => o.kind === 'Deployment')!;
        expect(deployment.metadata.namespace).toBe('my-ai-service-production');
        expect(deployment.spec.replicas).toBe(3);
        expect(deployment.spec.selector.matchLabels).toEqual({
          'app.kubernetes.io/name': 'my-ai-service',
        });
        expect(deployment.spec.template.metadata.labels).toEqual({
          'app.kubernetes.io/name': 'my-ai-service',
          'gitops/environment': 'production',
        });
        expect(deployment.spec.template.spec.containers[0].image).toBe(
          'registry.example.com/my-ai-service:v1.2.3',
        );
        expect(
          deployment.spec.template.spec.containers[0].resources.limits.memory,
        ).toBe('1Gi');
        const es = prod.objects.find(o => o.kind === 'ExternalSecret')!;
        expect(es.spec.data[0].remoteRef.key).toBe(
          'production/my-ai-service/api-key',
        );
        expect(es.spec.target.creationPolicy).toBe('Owner');
      } finally {
        await staged.cleanup();
      }
      expect(await fs.pathExists(staged.dir)).toBe(false);
    },
  );

  it('reports a missing kubectl instead of failing', async () => {
    const staged = await stageServiceTree(generated(), {
      kubectl: { validate: true, path: '/nonexistent/kubectl' },
    });
    await staged.cleanup();
    expect(staged.renders[0]).toEqual({
      environment: 'staging',
      rendered: false,
      reason: '/nonexistent/kubectl not found',
    });
  });

  it('fails with the kustomize message and leaves nothing behind when an overlay does not render', async () => {
    const g = generated();
    const k = g.files.find(f => f.path === 'overlays/qa/kustomization.yaml')!;
    k.content = k.content.replace('../../base', '../../nowhere');
    const before = new Set(await fs.readdir(require('node:os').tmpdir()));
    await expect(stageServiceTree(g, { kubectl })).rejects.toThrow(
      /overlays\/qa does not render: kubectl kustomize failed: .*nowhere/s,
    );
    const after = (await fs.readdir(require('node:os').tmpdir())).filter(
      f => f.startsWith('gitops-service-') && !before.has(f),
    );
    expect(after).toEqual([]);
  });

  it('refuses an overlay that renders a Secret', async () => {
    const g = generated();
    g.files.push({
      path: 'overlays/staging/secret.yaml',
      content:
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: leaked\nstringData:\n  x: y\n',
    });
    const k = g.files.find(
      f => f.path === 'overlays/staging/kustomization.yaml',
    )!;
    k.content = k.content.replace(
      '  - ../../base\n',
      '  - ../../base\n  - secret.yaml\n',
    );
    await expect(stageServiceTree(g, { kubectl })).rejects.toThrow(
      /contains a kind: Secret/,
    );
  });
});

describe('validateObjects', () => {
  it('names the file, kind and object of a schema violation', async () => {
    const g = generated();
    const deployment = g.objects.find(o => o.object.kind === 'Deployment')!;
    (deployment.object as any).spec.replicas = 'three';
    const problems = await validateObjects(g.objects);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^base\/deployment\.yaml: Deployment my-ai-service is invalid: .*replicas/,
    );
  });

  it('accepts everything the generator writes', async () => {
    expect(await validateObjects(generated('flux').objects)).toEqual([]);
    expect(await validateObjects(generated('argocd').objects)).toEqual([]);
  });
});

describe('publishServiceTree', () => {
  const mockDir = createMockDirectory();

  it('moves the staged tree into place, and refuses an existing target unless told to overwrite', async () => {
    const target = path.join(mockDir.path, 'apps/my-ai-service');
    const first = await stageServiceTree(generated(), {
      kubectl: { validate: false, path: 'kubectl' },
    });
    await publishServiceTree(first, target, { overwrite: false });
    expect(await fs.pathExists(path.join(target, 'base/deployment.yaml'))).toBe(
      true,
    );
    expect(await fs.pathExists(first.dir)).toBe(false);

    await fs.outputFile(path.join(target, 'stale.yaml'), 'old');
    const second = await stageServiceTree(generated(), {
      kubectl: { validate: false, path: 'kubectl' },
    });
    await expect(
      publishServiceTree(second, target, { overwrite: false }),
    ).rejects.toThrow(/already exists/);
    await publishServiceTree(second, target, { overwrite: true });
    expect(await fs.pathExists(path.join(target, 'stale.yaml'))).toBe(false);
  });
});
