import { parse } from 'yaml';
import { setOverlayImage } from './setOverlayImage';

const image = 'registry.example.com/ml/inference-api';
const digest = `sha256:${'0f'.repeat(32)}`;

const overlay = `# Production overlay: written by the golden path.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: inference-api-production # the team's namespace
resources:
  - ../../base
images:
  # the service's own image
  - name: ${image}
    newTag: v1.4.1 # released 2026-11-01
  - name: docker.io/library/busybox
    newTag: "1.36"
patches:
  - path: replicas.yaml
`;

describe('setOverlayImage', () => {
  it('changes only the tag and keeps comments, order and other entries', () => {
    const edit = setOverlayImage(overlay, { name: image, version: 'v1.5.0' });
    expect(edit.previousVersion).toBe('v1.4.1');
    expect(edit.content).toBe(
      overlay.replace(
        'newTag: v1.4.1 # released 2026-11-01',
        'newTag: v1.5.0 # released 2026-11-01',
      ),
    );
  });

  it('switches a tag to a digest and back, cleanly', () => {
    const toDigest = setOverlayImage(overlay, { name: image, version: digest });
    const entry = parse(toDigest.content).images[0];
    expect(entry).toEqual({ name: image, digest });
    expect(toDigest.content).toContain("# the service's own image");

    const back = setOverlayImage(toDigest.content, {
      name: image,
      version: 'v1.4.2',
    });
    expect(back.previousVersion).toBe(digest);
    expect(parse(back.content).images[0]).toEqual({
      name: image,
      newTag: 'v1.4.2',
    });
  });

  it('adds a missing entry, and a missing images list', () => {
    const other = setOverlayImage(overlay, {
      name: 'registry.example.com/ml/sidecar',
      version: 'v2.0.0',
    });
    expect(other.previousVersion).toBeUndefined();
    expect(parse(other.content).images).toEqual([
      { name: image, newTag: 'v1.4.1' },
      { name: 'docker.io/library/busybox', newTag: '1.36' },
      { name: 'registry.example.com/ml/sidecar', newTag: 'v2.0.0' },
    ]);

    const bare = 'resources:\n  - ../../base # base\n';
    const added = setOverlayImage(bare, { name: image, version: 'v1.0.0' });
    expect(added.content).toContain('- ../../base # base');
    expect(parse(added.content)).toEqual({
      resources: ['../../base'],
      images: [{ name: image, newTag: 'v1.0.0' }],
    });
  });

  it('keeps newName and reads a numeric tag as the previous version', () => {
    const renamed = `images:\n  - name: app\n    newName: ${image}\n    newTag: 2\n`;
    const edit = setOverlayImage(renamed, { name: 'app', version: 'v3.0.0' });
    expect(edit.previousVersion).toBe('2');
    expect(parse(edit.content).images[0]).toEqual({
      name: 'app',
      newName: image,
      newTag: 'v3.0.0',
    });
  });

  it.each([
    ['a malformed version', overlay, 'v1 2', /^version must be an image tag/],
    ['a short digest', overlay, 'sha256:abc', /^version must be a digest/],
    ['invalid YAML', 'images: [\n', 'v1.0.0', /not valid YAML/],
    ['a list document', '- a\n', 'v1.0.0', /not a YAML mapping/],
    ['images that is not a list', 'images: x\n', 'v1.0.0', /not a list/],
  ])('refuses %s', (_, content, version, message) => {
    expect(() => setOverlayImage(content, { name: image, version })).toThrow(
      message,
    );
  });
});
