import { Link } from '@backstage/core-components';
import type { EnvironmentStatus } from '@goldenpath/plugin-gitops-common';
import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import WarningIcon from '@material-ui/icons/Warning';
import ErrorIcon from '@material-ui/icons/ErrorOutline';
import { HealthStatusChip, SyncStatusChip } from './StatusChips';
import {
  desiredLabel,
  driftExplanation,
  liveLabels,
  relativeTime,
  shortRevision,
} from './viewModel';

const CONTROLLER_NAMES = { argocd: 'Argo CD', flux: 'Flux', none: 'None' };

export function EnvironmentCell({ env }: { env: EnvironmentStatus }) {
  return (
    <Box>
      <Typography variant="subtitle2">{env.name}</Typography>
      <Typography variant="caption" color="textSecondary" component="div">
        {[env.namespace, env.cluster].filter(Boolean).join(' @ ')}
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

export function ControllerCell({ env }: { env: EnvironmentStatus }) {
  const name = CONTROLLER_NAMES[env.controller] ?? env.controller;
  return env.live?.url ? <Link to={env.live.url}>{name}</Link> : <>{name}</>;
}

export function DesiredCell({ env }: { env: EnvironmentStatus }) {
  return <code>{desiredLabel(env.desired) ?? '—'}</code>;
}

const useStyles = makeStyles(theme => ({
  // The theme's warning colour, so the marker reads in light and dark themes.
  drift: { color: theme.palette.warning.main },
}));

export function LiveCell({ env }: { env: EnvironmentStatus }) {
  const classes = useStyles();
  const labels = liveLabels(env);
  const explanation = driftExplanation(env);
  return (
    <Box display="flex" alignItems="center">
      <code>{labels.length ? labels.join(', ') : '—'}</code>
      {explanation && (
        <Tooltip title={explanation}>
          <Box
            display="flex"
            alignItems="center"
            ml={1}
            aria-label={explanation}
          >
            <WarningIcon fontSize="small" className={classes.drift} />
            <Typography variant="caption" style={{ marginLeft: 2 }}>
              drift
            </Typography>
          </Box>
        </Tooltip>
      )}
    </Box>
  );
}

export function SyncCell({ env }: { env: EnvironmentStatus }) {
  if (!env.live) return <>—</>;
  const since = relativeTime(env.live.since);
  return (
    <Box>
      <SyncStatusChip sync={env.live.sync} />
      {env.live.stale && (
        <Typography variant="caption" color="error" component="div">
          last known state
        </Typography>
      )}
      {since && (
        <Typography variant="caption" color="textSecondary" component="div">
          since {since}
        </Typography>
      )}
    </Box>
  );
}

export function HealthCell({ env }: { env: EnvironmentStatus }) {
  return env.live ? <HealthStatusChip health={env.live.health} /> : <>—</>;
}

export function RevisionCell({ env }: { env: EnvironmentStatus }) {
  const revision = shortRevision(env.live?.revision);
  const synced = relativeTime(env.live?.lastSyncedAt);
  return (
    <Box>
      <code>{revision ?? '—'}</code>
      {synced && (
        <Typography variant="caption" color="textSecondary" component="div">
          synced {synced}
        </Typography>
      )}
    </Box>
  );
}
