import type { EnvironmentStatus } from '@goldenpath/plugin-gitops-common';
import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import { CombinedStatusChip } from '../StatusChips';
import { ShortReason, StuckMarker } from '../StatusReasons';
import { TruncatedValue } from '../TruncatedValue';
import {
  combinedStatus,
  desiredLabel,
  desiredValue,
  driftExplanation,
  liveValues,
} from '../viewModel';

const useStyles = makeStyles(theme => ({
  // Words wrap between each other, never inside (the cell's break-word
  // would split "OutOfSync").
  cell: { wordBreak: 'normal', overflowWrap: 'normal' },
  nowrap: { whiteSpace: 'nowrap' },
  images: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: theme.spacing(1),
  },
}));

/** One environment of one component on the team page. */
export function TeamEnvironmentCell({ env }: { env?: EnvironmentStatus }) {
  const classes = useStyles();
  if (!env) return <Typography color="textSecondary">—</Typography>;
  // What runs; what Git wants when nothing is reported yet.
  let shown = liveValues(env);
  const desired = desiredValue(env.desired);
  if (!shown.length && desired) shown = [desired];
  const explanation = driftExplanation(env);
  const stale = env.live?.stale || env.desired?.stale;
  const statusTitle =
    env.error?.message ??
    (stale ? 'The last known state' : undefined) ??
    (env.live ? `${env.live.sync} / ${env.live.health}` : 'No live state');
  return (
    <Box className={classes.cell}>
      <CombinedStatusChip status={combinedStatus(env)}>
        <span className={classes.images}>
          {shown.length
            ? shown.map(v => (
                <TruncatedValue
                  key={v.full}
                  label={v.label}
                  value={v.full}
                  what="image reference"
                />
              ))
            : '—'}
        </span>
      </CombinedStatusChip>
      {explanation && (
        <Tooltip title={explanation}>
          <Typography variant="caption" component="div" color="textSecondary">
            drift: Git wants{' '}
            <code className={classes.nowrap}>{desiredLabel(env.desired)}</code>
          </Typography>
        </Tooltip>
      )}
      <Tooltip title={statusTitle}>
        <Typography variant="caption" component="div" color="textSecondary">
          {env.live ? (
            <>
              <span className={classes.nowrap}>{env.live.sync}</span> ·{' '}
              <span className={classes.nowrap}>{env.live.health}</span>
              {stale ? ' · stale' : ''}
            </>
          ) : (
            <>no live state{stale ? ' · stale' : ''}</>
          )}
          {env.error ? (
            <Typography variant="caption" color="error" component="span">
              {' '}
              · error
            </Typography>
          ) : null}
        </Typography>
      </Tooltip>
      <StuckMarker live={env.live} />
      <ShortReason reasons={env.live?.reasons} maxLength={90} />
    </Box>
  );
}
