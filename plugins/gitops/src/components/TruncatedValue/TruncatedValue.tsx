import { errorApiRef, useApi } from '@backstage/core-plugin-api';
import IconButton from '@material-ui/core/IconButton';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import CopyIcon from '@material-ui/icons/FileCopyOutlined';
import { useEffect, useState } from 'react';

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'center',
    maxWidth: '100%',
    minWidth: 0,
    verticalAlign: 'middle',
  },
  // One line, cut with an ellipsis: a tag or digest never breaks mid-word.
  text: {
    display: 'inline-block',
    minWidth: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
    verticalAlign: 'bottom',
  },
  copy: {
    flexShrink: 0,
    padding: 2,
    marginLeft: 2,
    fontSize: '0.875rem',
    color: theme.palette.text.secondary,
  },
}));

/** Copies `text` to the clipboard; says so in its tooltip for a moment. */
export function CopyButton(props: { text: string; label: string }) {
  const classes = useStyles();
  const errorApi = useApi(errorApiRef);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return undefined;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = async (event: React.MouseEvent) => {
    // Inside a clickable row or tooltip, the click is the button's alone.
    event.stopPropagation();
    try {
      await navigator.clipboard.writeText(props.text);
      setCopied(true);
    } catch (e) {
      errorApi.post(
        new Error(`Could not copy to the clipboard: ${(e as Error).message}`),
      );
    }
  };
  return (
    <Tooltip title={copied ? 'Copied' : props.label}>
      <IconButton
        size="small"
        className={classes.copy}
        aria-label={props.label}
        onClick={copy}
      >
        <CopyIcon fontSize="inherit" />
      </IconButton>
    </Tooltip>
  );
}

/**
 * A tag, digest or revision on one line, cut to `maxWidth` with an
 * ellipsis; the full value shows on hover and the button copies it.
 */
export function TruncatedValue(props: {
  /** What is shown (default: `value`). */
  label?: string;
  /** The full value: hover text and what the button copies. */
  value: string;
  /** Names the value for the copy button, e.g. "image reference". */
  what: string;
  /** Widest the label may be, as CSS (default `18ch`). */
  maxWidth?: string;
}) {
  const classes = useStyles();
  return (
    <span className={classes.root}>
      <Tooltip title={props.value}>
        <code
          className={classes.text}
          style={{ maxWidth: props.maxWidth ?? '18ch' }}
        >
          {props.label ?? props.value}
        </code>
      </Tooltip>
      <CopyButton text={props.value} label={`Copy ${props.what}`} />
    </span>
  );
}
