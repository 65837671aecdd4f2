import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { GITOPS_PATH_ANNOTATION } from '@goldenpath/plugin-gitops-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { useEntityEnvironments } from '../../hooks/useEntityEnvironments';
import { CombinedStatusChip } from '../StatusChips';
import { AnnotationProblems, ShortReason, StuckMarker } from '../StatusReasons';
import { TruncatedValue } from '../TruncatedValue';
import {
  combinedStatus,
  desiredLabel,
  desiredValue,
  liveValues,
} from '../viewModel';

const STATUS_TEXT = {
  ok: 'in sync',
  warning: 'needs attention',
  error: 'failing',
  pending: 'pending',
};

/**
 * Overview card: each environment's tag and one combined status, linking to
 * the GitOps tab.
 *
 * @public
 */
export function EntityGitopsCard(props: { tabPath?: string }) {
  const { value, loading, error, available } = useEntityEnvironments();

  const deepLink = {
    title: 'Open GitOps tab',
    link: props.tabPath ?? 'gitops',
  };
  let content: React.ReactNode;
  if (!available) {
    content = (
      <Typography variant="body2">
        Add the <code>{GITOPS_PATH_ANNOTATION}</code> annotation to see this
        component's environments.
      </Typography>
    );
  } else if (loading && !value) {
    content = <Progress />;
  } else if (error && !value) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!value?.environments.length) {
    content = (
      <>
        <Typography variant="body2">
          {value?.reason ?? 'No environments.'}
        </Typography>
        <AnnotationProblems problems={value?.problems} />
      </>
    );
  } else {
    content = (
      <List dense disablePadding>
        {value.environments.map(env => {
          const status = combinedStatus(env);
          const desired = desiredLabel(env.desired);
          // What runs, else what Git wants: cut to the card's width, whole
          // on hover.
          let shown = liveValues(env);
          const wanted = desiredValue(env.desired);
          if (!shown.length && wanted) shown = [wanted];
          return (
            <ListItem key={env.name} disableGutters>
              <ListItemText
                primary={
                  <>
                    <strong>{env.name}</strong>{' '}
                    {shown.length ? (
                      shown.map(v => (
                        <TruncatedValue
                          key={v.full}
                          label={v.label}
                          value={v.full}
                          what="image reference"
                          maxWidth="16ch"
                        />
                      ))
                    ) : (
                      <code>—</code>
                    )}
                    {env.drift && desired ? ` (Git wants ${desired})` : ''}
                    {env.desired?.stale || env.live?.stale ? (
                      <Typography
                        variant="caption"
                        color="error"
                        component="span"
                      >
                        {' '}
                        last known state
                      </Typography>
                    ) : null}
                  </>
                }
                secondaryTypographyProps={{ component: 'div' }}
                secondary={
                  <>
                    <StuckMarker live={env.live} />
                    <ShortReason reasons={env.live?.reasons} maxLength={100} />
                    {env.error?.message}
                  </>
                }
              />
              <CombinedStatusChip status={status}>
                {STATUS_TEXT[status]}
              </CombinedStatusChip>
            </ListItem>
          );
        })}
      </List>
    );
  }
  return (
    <InfoCard
      title="GitOps"
      deepLink={available ? deepLink : undefined}
      variant="gridItem"
    >
      {content}
    </InfoCard>
  );
}
