import { errorApiRef } from '@backstage/core-plugin-api';
import {
  MockErrorApi,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { TruncatedValue } from './TruncatedValue';

const DIGEST = `sha256:${'4f2a9c1d'.repeat(8)}`;
const FULL = `registry.example.com/ml/inference-api@${DIGEST}`;

describe('TruncatedValue', () => {
  let writeText: jest.Mock;
  beforeEach(() => {
    writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
  });

  it('shows the label on one line, cut with an ellipsis, and the full value on hover', async () => {
    await renderInTestApp(
      <TruncatedValue
        label={`@${DIGEST}`}
        value={FULL}
        what="image reference"
      />,
    );
    const label = screen.getByText(`@${DIGEST}`);
    expect(label).toHaveAttribute('title', FULL);
    expect(label).toHaveStyle({
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      maxWidth: '18ch',
    });
    fireEvent.mouseOver(label);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(FULL);
  });

  it('copies the full value, not the label, and says so', async () => {
    await renderInTestApp(
      <TruncatedValue
        label="4f2a9c1"
        value="4f2a9c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b"
        what="revision"
        maxWidth="10ch"
      />,
    );
    expect(screen.getByText('4f2a9c1')).toHaveStyle({ maxWidth: '10ch' });
    const button = screen.getByRole('button', { name: 'Copy revision' });
    fireEvent.click(button);
    await waitFor(() =>
      expect(writeText).toHaveBeenCalledWith(
        '4f2a9c1d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b',
      ),
    );
    fireEvent.mouseOver(button);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Copied');
  });

  it('posts an error when the clipboard refuses', async () => {
    writeText.mockRejectedValue(new Error('Write permission denied.'));
    const errorApi = new MockErrorApi({ collect: true });
    await renderInTestApp(
      <TestApiProvider apis={[[errorApiRef, errorApi]]}>
        <TruncatedValue value="v1.2.3" what="image reference" />
      </TestApiProvider>,
    );
    fireEvent.click(
      screen.getByRole('button', { name: 'Copy image reference' }),
    );
    await waitFor(() =>
      expect(errorApi.getErrors().map(e => e.error.message)).toEqual([
        'Could not copy to the clipboard: Write permission denied.',
      ]),
    );
    expect(writeText).toHaveBeenCalledWith('v1.2.3');
  });
});
