import type {
  AnnotationProblem,
  LiveState,
  StatusReason,
} from '@goldenpath/plugin-gitops-common';
import {
  formatDuration,
  shortReason,
  stuckFor,
} from '@goldenpath/plugin-gitops-common';
import { makeStyles } from '@material-ui/core/styles';
import Typography from '@material-ui/core/Typography';
import TimerIcon from '@material-ui/icons/TimerOutlined';
import { Fragment } from 'react';
import { useStuckAfter } from '../../hooks/useStuckAfter';
import { relativeTime } from '../viewModel';

// The controller's words are plain text: React escapes them, and nothing
// here renders markup from them.

const useStyles = makeStyles(theme => ({
  // Long paths and URLs in a message wrap anywhere; status words elsewhere
  // never do.
  message: { overflowWrap: 'anywhere', wordBreak: 'normal' },
  list: { margin: 0, paddingLeft: theme.spacing(2) },
  source: { color: theme.palette.text.secondary },
  word: {
    display: 'inline-block',
    maxWidth: '100%',
    overflowWrap: 'anywhere',
  },
  nowrap: { whiteSpace: 'nowrap' },
  stuck: {
    display: 'inline-flex',
    alignItems: 'center',
    whiteSpace: 'nowrap',
    fontWeight: theme.typography.fontWeightBold as number,
    color: theme.palette.error.main,
  },
  stuckIcon: { fontSize: '1rem', marginRight: 2 },
  // At most two lines under a team-page cell or card row, readable without
  // hovering; the tab shows the whole text.
  short: {
    overflowWrap: 'anywhere',
    display: '-webkit-box',
    WebkitLineClamp: 2,
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
  },
}));

/** Where a reason comes from, as a short label: `Deployment/api`, `Ready (HealthCheckFailed)`. */
export function reasonLabel(reason: StatusReason): string | undefined {
  if (reason.source === 'operation')
    return `last sync ${reason.type ?? ''}`.trim();
  if (reason.type && reason.reason) return `${reason.type} (${reason.reason})`;
  return reason.type;
}

/**
 * Text whose hyphenated words (`"inference-api"`) move to the next line
 * whole instead of breaking at their hyphen, and whose slashed words
 * (`Deployment/inference-api`) break only after a slash; only a part longer
 * than the line still wraps inside.
 */
function Words(props: { text: string; className: string }) {
  // Whitespace runs, and the parts of a word up to and including a slash.
  const parts = props.text
    .split(/(\s+)/)
    .flatMap(token =>
      /\S\/\S/.test(token) ? token.split(/(?<=\/)/) : [token],
    );
  return (
    <>
      {parts.map((part, i) =>
        /[-/]/.test(part) ? (
          <span key={i} className={props.className}>
            {part}
          </span>
        ) : (
          <Fragment key={i}>{part}</Fragment>
        ),
      )}
    </>
  );
}

/** Every reason in full, with where it comes from and since when: for the tab. */
export function ReasonList(props: { reasons?: StatusReason[] }) {
  const classes = useStyles();
  if (!props.reasons?.length) return null;
  return (
    <ul className={classes.list} aria-label="reasons">
      {props.reasons.map((reason, i) => {
        const label = reasonLabel(reason);
        const since = relativeTime(reason.since);
        return (
          <li key={i}>
            <Typography
              variant="caption"
              component="span"
              className={classes.message}
            >
              {label && (
                <span className={classes.source}>
                  <Words text={`${label}:`} className={classes.word} />{' '}
                </span>
              )}
              <Words text={reason.message} className={classes.word} />
              {since && (
                <span className={classes.source}>
                  {' '}
                  (<span className={classes.nowrap}>since {since}</span>)
                </span>
              )}
            </Typography>
          </li>
        );
      })}
    </ul>
  );
}

/** The first reason, shortened to two lines: for the card and the team page. */
export function ShortReason(props: {
  reasons?: StatusReason[];
  maxLength?: number;
}) {
  const classes = useStyles();
  const text = shortReason(props.reasons, props.maxLength ?? 120);
  if (!text) return null;
  return (
    <Typography
      variant="caption"
      component="div"
      color="textSecondary"
      className={classes.short}
      data-testid="short-reason"
    >
      <Words text={text} className={classes.word} />
    </Typography>
  );
}

/**
 * "stuck for 2 days" when the environment has not been Synced and Healthy
 * for longer than `gitops.ui.stuckAfter`; nothing otherwise.
 */
export function StuckMarker(props: { live?: LiveState; now?: number }) {
  const classes = useStyles();
  const stuckAfter = useStuckAfter();
  const duration = stuckFor(props.live, props.now ?? Date.now(), stuckAfter);
  if (duration === undefined) return null;
  const text = `stuck for ${formatDuration(duration)}`;
  return (
    <Typography
      variant="caption"
      component="span"
      className={classes.stuck}
      title={`Not Synced and Healthy for ${formatDuration(
        duration,
      )} (more than ${formatDuration(stuckAfter)})`}
    >
      <TimerIcon className={classes.stuckIcon} aria-hidden />
      {text}
    </Typography>
  );
}

/** Annotations the backend refused, each with the rule it breaks. */
export function AnnotationProblems(props: { problems?: AnnotationProblem[] }) {
  const classes = useStyles();
  if (!props.problems?.length) return null;
  return (
    <ul className={classes.list} aria-label="refused annotations">
      {props.problems.map(p => (
        <li key={p.annotation}>
          <Typography
            variant="caption"
            component="span"
            color="error"
            className={classes.message}
          >
            <code>{p.annotation}</code> {p.message}
          </Typography>
        </li>
      ))}
    </ul>
  );
}
