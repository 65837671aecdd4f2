import fs from 'fs-extra';
import os from 'node:os';
import { renderPromotedOverlay } from './renderPromotedOverlay';
import { setOverlayImage } from './setOverlayImage';

// Renders with the real `kubectl kustomize` (installed on every machine of
// this project); a missing kubectl fails these tests rather than skipping.
const kubectl = { validate: true, path: 'kubectl' };
const image = 'registry.example.com/ml/inference-api';

const files = new Map<string, string>([
  [
    'base/kustomization.yaml',
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n',
  ],
  [
    'base/deployment.yaml',
    `apiVersion: apps/v1
kind: Deployment
metadata:
  name: inference-api
spec:
  selector:
    matchLabels: { app: inference-api }
  template:
    metadata:
      labels: { app: inference-api }
    spec:
      containers:
        - name: app
          image: ${image}:v1.0.0
`,
  ],
]);
const overlay = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: inference-api-production
resources:
  - ../../base
images:
  - name: ${image}
    newTag: v1.4.1
`;

describe('renderPromotedOverlay (real kubectl kustomize)', () => {
  it('renders the overlay with the new version and leaves no folder behind', async () => {
    const before = (await fs.readdir(os.tmpdir())).filter(f =>
      f.startsWith('gitops-promote-'),
    );
    const { content } = setOverlayImage(overlay, {
      name: image,
      version: 'v1.5.0',
    });
    await expect(
      renderPromotedOverlay({
        files,
        environment: 'production',
        kustomization: content,
        image,
        version: 'v1.5.0',
        kubectl,
      }),
    ).resolves.toEqual({ rendered: true, objectCount: 1 });
    const after = (await fs.readdir(os.tmpdir())).filter(f =>
      f.startsWith('gitops-promote-'),
    );
    expect(after).toEqual(before);
  });

  it('renders a digest', async () => {
    const digest = `sha256:${'0f'.repeat(32)}`;
    const { content } = setOverlayImage(overlay, {
      name: image,
      version: digest,
    });
    await expect(
      renderPromotedOverlay({
        files,
        environment: 'production',
        kustomization: content,
        image,
        version: digest,
        kubectl,
      }),
    ).resolves.toMatchObject({ rendered: true });
  });

  it('refuses an overlay whose Deployment would not run the version', async () => {
    const { content } = setOverlayImage(overlay, {
      name: 'registry.example.com/ml/other',
      version: 'v1.5.0',
    });
    await expect(
      renderPromotedOverlay({
        files,
        environment: 'production',
        kustomization: content,
        image,
        version: 'v1.5.0',
        kubectl,
      }),
    ).rejects.toThrow(
      `overlays/production renders no container with ${image}:v1.5.0 (it renders ${image}:v1.4.1)`,
    );
  });

  it("refuses an overlay kustomize cannot render, with kustomize's message", async () => {
    await expect(
      renderPromotedOverlay({
        files,
        environment: 'production',
        kustomization: overlay.replace('../../base', '../../missing'),
        image,
        version: 'v1.4.1',
        kubectl,
      }),
    ).rejects.toThrow(
      /^overlays\/production does not render with the new version: kubectl kustomize failed: .*missing/,
    );
  });

  it('says so when rendering is turned off', async () => {
    await expect(
      renderPromotedOverlay({
        files,
        environment: 'production',
        kustomization: overlay,
        image,
        version: 'v1.4.1',
        kubectl: { validate: false, path: 'kubectl' },
      }),
    ).resolves.toEqual({
      rendered: false,
      reason: 'disabled by gitops.kubectl.validate',
    });
  });
});
