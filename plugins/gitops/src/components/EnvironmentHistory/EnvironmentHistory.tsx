import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  EnvironmentHistoryItem,
  EnvironmentStatus,
  PromotionEnvironment,
  desiredVersion,
  formatSince,
  gitopsEnvironmentPromotePermission,
  promotionTargetProblem,
} from '@goldenpath/plugin-gitops-common';
import Accordion from '@material-ui/core/Accordion';
import AccordionDetails from '@material-ui/core/AccordionDetails';
import AccordionSummary from '@material-ui/core/AccordionSummary';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';
import { NOT_ALLOWED, Promotion } from '../PromoteButton';
import type { PromotionRequest } from '../PromoteDialog';

const useStyles = makeStyles(theme => ({
  list: { listStyle: 'none', margin: 0, padding: 0, width: '100%' },
  item: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    padding: theme.spacing(0.75, 0),
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  version: { whiteSpace: 'nowrap', minWidth: theme.spacing(14) },
}));

function period(item: EnvironmentHistoryItem, now: Date) {
  const since = formatSince(item.since, now);
  return item.until
    ? `${since} – ${formatSince(item.until, now)}`
    : `since ${since}`;
}

// Mounted only where rollbacks are offered: the permission API may be absent
// elsewhere (the plugin's dev app).
function usePromoteAllowed(entityRef: string) {
  return usePermission({
    permission: gitopsEnvironmentPromotePermission,
    resourceRef: entityRef,
  });
}

function NotAllowedNote({ entityRef }: { entityRef: string }) {
  const { allowed, loading } = usePromoteAllowed(entityRef);
  return loading || allowed ? null : (
    <Typography variant="caption" color="textSecondary">
      {NOT_ALLOWED}
    </Typography>
  );
}

function RollbackButton(props: {
  entityRef: string;
  disabled: boolean;
  onClick: () => void;
}) {
  const { allowed, loading } = usePromoteAllowed(props.entityRef);
  return (
    <Button
      size="small"
      variant="outlined"
      disabled={loading || !allowed || props.disabled}
      onClick={props.onClick}
    >
      Roll back to this
    </Button>
  );
}

/** The list itself, fetched when the panel opens. */
function HistoryList(props: {
  entity: CompoundEntityRef;
  entityRef: string;
  env: EnvironmentStatus;
  profileEnvironment?: PromotionEnvironment;
  onRollBack?: (request: PromotionRequest) => void;
}) {
  const { entity, entityRef, env, profileEnvironment, onRollBack } = props;
  const classes = useStyles();
  const gitopsApi = useApi(gitopsApiRef);
  // Asked again when what runs changes, e.g. after a rollout.
  const running = env.live?.images.join(' ');
  const { value, loading, error } = useAsync(
    () => gitopsApi.getEnvironmentHistory(entity, env.name),
    [gitopsApi, entity.kind, entity.namespace, entity.name, env.name, running],
  );
  // Only where the app can run the template (the profile is then known).
  const canRollBack = Boolean(profileEnvironment && onRollBack);

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const items = value?.items ?? [];
  if (items.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {value?.reason ??
          `No versions recorded for ${env.name} yet: the backend records what runs as its controller reports it.`}
      </Typography>
    );
  }
  const now = new Date();
  const wants = desiredVersion(env);
  return (
    <Box width="100%">
      {canRollBack && <NotAllowedNote entityRef={entityRef} />}
      <ol className={classes.list} aria-label={`History of ${env.name}`}>
        {items.map((item, i) => {
          const problem =
            profileEnvironment &&
            promotionTargetProblem(profileEnvironment, item.version, wants);
          return (
            <li key={`${item.version}-${item.since}`} className={classes.item}>
              <code className={classes.version} title={item.image}>
                {item.version}
              </code>
              <Typography variant="body2" color="textSecondary">
                {period(item, now)}
              </Typography>
              {item.revision && (
                <Typography variant="caption" color="textSecondary">
                  revision <code>{item.revision.slice(0, 7)}</code>
                </Typography>
              )}
              {/* Earlier versions only: the newest is what runs now. */}
              {canRollBack && i > 0 && (
                <Box ml="auto" display="flex" alignItems="center" gridGap={8}>
                  {problem?.reason && (
                    <Typography variant="caption" color="textSecondary">
                      {problem.reason}
                    </Typography>
                  )}
                  <RollbackButton
                    entityRef={entityRef}
                    disabled={Boolean(problem)}
                    onClick={() =>
                      onRollBack!({
                        entityRef,
                        target: env.name,
                        version: item.version,
                        previousVersion: wants,
                        evidence: `${env.name} ran ${item.version} (${period(
                          item,
                          now,
                        )})`,
                        rollback: true,
                      })
                    }
                  />
                </Box>
              )}
            </li>
          );
        })}
      </ol>
    </Box>
  );
}

/**
 * What an environment ran, newest first, in a panel that loads when opened,
 * with "Roll back to this" on earlier versions (the promotion dialog with an
 * explicit version). Rollbacks are offered only where `profileEnvironment`
 * is given, i.e. the app can run the promotion template.
 */
export function EnvironmentHistory(props: {
  entity: CompoundEntityRef;
  entityRef: string;
  env: EnvironmentStatus;
  profileEnvironment?: PromotionEnvironment;
  onRollBack?: (request: PromotionRequest) => void;
}) {
  return (
    <Accordion TransitionProps={{ unmountOnExit: true }}>
      <AccordionSummary
        expandIcon={<ExpandMoreIcon />}
        aria-controls={`gitops-history-${props.env.name}`}
      >
        <Typography variant="subtitle2">History of {props.env.name}</Typography>
      </AccordionSummary>
      <AccordionDetails id={`gitops-history-${props.env.name}`}>
        <HistoryList {...props} />
      </AccordionDetails>
    </Accordion>
  );
}

/** One history panel per environment, under the tab's table. */
export function EnvironmentHistories(props: {
  environments: EnvironmentStatus[];
  promotion?: Promotion;
}) {
  const { entity } = useEntity();
  const compound = getCompoundEntityRef(entity);
  const entityRef = stringifyEntityRef(entity);
  return (
    <Box mt={2}>
      {props.environments.map(env => (
        <EnvironmentHistory
          key={env.name}
          entity={compound}
          entityRef={entityRef}
          env={env}
          profileEnvironment={props.promotion?.environment(env.name)}
          onRollBack={props.promotion?.open}
        />
      ))}
    </Box>
  );
}
