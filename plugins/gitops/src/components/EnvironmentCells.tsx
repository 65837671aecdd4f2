import { Link } from '@backstage/core-components';
import type { EnvironmentStatus } from '@goldenpath/plugin-gitops-common';
import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import WarningIcon from '@material-ui/icons/Warning';
import ErrorIcon from '@material-ui/icons/ErrorOutline';
import { HealthStatusChip, SyncStatusChip } from './StatusChips';
import { ReasonList, StuckMarker } from './StatusReasons';
import { TruncatedValue } from './TruncatedValue';
import { webUrl } from './webUrl';
import {
  controllerLabel,
  desiredValue,
  driftExplanation,
  ImageValue,
  liveValues,
  relativeTime,
  shortRevision,
} from './viewModel';

const useStyles = makeStyles(theme => ({
  // Words wrap between each other, never inside: the table cell's own
  // break-word is what split "Degraded" into "Degrad / ed".
  cell: { wordBreak: 'normal', overflowWrap: 'normal' },
  // The theme's warning colour, so the marker reads in light and dark themes.
  drift: { color: theme.palette.warning.main },
  // Labels in one column, values in the other; a value may shrink (and
  // be cut) but never pushes its label onto a line of its own.
  images: {
    display: 'grid',
    // At least ten characters of a tag show however many columns the
    // table has (a fifth squeezed the values to nothing at 1024 px).
    gridTemplateColumns: 'auto minmax(10ch, 1fr)',
    columnGap: theme.spacing(1),
    rowGap: theme.spacing(0.5),
    alignItems: 'center',
  },
  label: { color: theme.palette.text.secondary, whiteSpace: 'nowrap' },
  line: {
    minWidth: 0,
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    columnGap: theme.spacing(1),
    rowGap: theme.spacing(0.5),
  },
  nowrap: { whiteSpace: 'nowrap' },
}));

/** Name, where it runs, the controller (with its deep link) and any error. */
export function EnvironmentCell({ env }: { env: EnvironmentStatus }) {
  const classes = useStyles();
  const controller = controllerLabel(env);
  const url = webUrl(env.live?.url);
  return (
    <Box className={classes.cell}>
      <Typography variant="subtitle2" className={classes.nowrap}>
        {env.name}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="div">
        {[env.namespace, env.cluster].filter(Boolean).map((part, i) => (
          <span key={part}>
            {i > 0 && ' @ '}
            <span className={classes.nowrap}>{part}</span>
          </span>
        ))}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="div">
        {url ? <Link to={url}>{controller}</Link> : controller}
      </Typography>
      {env.error && (
        <Box display="flex" alignItems="flex-start" mt={0.5} role="alert">
          <ErrorIcon
            color="error"
            fontSize="small"
            style={{ marginRight: 4 }}
          />
          <Typography variant="caption" color="error">
            {env.error.message}
          </Typography>
        </Box>
      )}
    </Box>
  );
}

function Images(props: { values: ImageValue[] }) {
  if (!props.values.length) return <code>—</code>;
  return (
    <>
      {props.values.map(v => (
        <TruncatedValue
          key={v.full}
          label={v.label}
          value={v.full}
          what="image reference"
        />
      ))}
    </>
  );
}

/** What Git wants over what runs, with the drift marker. */
export function ImageCell({ env }: { env: EnvironmentStatus }) {
  const classes = useStyles();
  const desired = desiredValue(env.desired);
  const explanation = driftExplanation(env);
  return (
    <Box className={`${classes.cell} ${classes.images}`}>
      <Typography variant="caption" className={classes.label}>
        Git
      </Typography>
      <Box className={classes.line}>
        <Images values={desired ? [desired] : []} />
        {env.desired?.stale && (
          <Typography
            variant="caption"
            color="error"
            className={classes.nowrap}
            title="The GitOps repository could not be re-read: what it wanted at the last good read"
          >
            last read
          </Typography>
        )}
      </Box>
      <Typography variant="caption" className={classes.label}>
        Live
      </Typography>
      <Box className={classes.line}>
        <Images values={liveValues(env)} />
        {explanation && (
          <Tooltip title={explanation}>
            <Box display="flex" alignItems="center" aria-label={explanation}>
              <WarningIcon fontSize="small" className={classes.drift} />
              <Typography variant="caption" style={{ marginLeft: 2 }}>
                drift
              </Typography>
            </Box>
          </Tooltip>
        )}
      </Box>
    </Box>
  );
}

/**
 * Sync and health side by side (one above the other when the column is
 * narrow), since when (the controller's time where it gives one), whether
 * this is the last known state, "stuck" past `gitops.ui.stuckAfter`, and the
 * controller's reasons in full.
 */
export function StatusCell({ env }: { env: EnvironmentStatus }) {
  const classes = useStyles();
  if (!env.live) return <>—</>;
  const since = relativeTime(env.live.since);
  return (
    <Box className={classes.cell}>
      <Box className={classes.line}>
        <SyncStatusChip sync={env.live.sync} />
        <HealthStatusChip health={env.live.health} />
      </Box>
      {env.live.stale && (
        <Typography variant="caption" color="error" component="div">
          last known state
        </Typography>
      )}
      {since && (
        <Typography
          variant="caption"
          color="textSecondary"
          component="div"
          className={classes.nowrap}
          title={env.live.since}
        >
          since {since}
        </Typography>
      )}
      <StuckMarker live={env.live} />
      <ReasonList reasons={env.live.reasons} />
    </Box>
  );
}

/** The revision the controller applied (short, whole on hover) and when. */
export function RevisionCell({ env }: { env: EnvironmentStatus }) {
  const classes = useStyles();
  const revision = env.live?.revision;
  const synced = relativeTime(env.live?.lastSyncedAt);
  return (
    <Box className={classes.cell}>
      {revision ? (
        <TruncatedValue
          label={shortRevision(revision)}
          value={revision}
          what="revision"
        />
      ) : (
        <code>—</code>
      )}
      {synced && (
        <Typography variant="caption" color="textSecondary" component="div">
          synced {synced}
        </Typography>
      )}
    </Box>
  );
}
