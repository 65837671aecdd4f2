import {
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import {
  EnvironmentStatus,
  GITOPS_PATH_ANNOTATION,
  isGitopsAvailable,
} from '@goldenpath/plugin-gitops-common';
import Typography from '@material-ui/core/Typography';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { gitopsApiRef } from '../../api';
import { formatDesired, formatLiveTags } from '../format';
import { HealthStatusChip, SyncStatusChip } from '../StatusChips';

const columns: TableColumn<EnvironmentStatus>[] = [
  { title: 'Environment', field: 'name', highlight: true },
  {
    title: 'Namespace',
    render: env => [env.namespace, env.cluster].filter(Boolean).join(' @ '),
  },
  {
    title: 'Controller',
    render: env =>
      env.live?.url ? (
        <Link to={env.live.url}>{env.controller}</Link>
      ) : (
        env.controller
      ),
  },
  { title: 'Desired (Git)', render: env => formatDesired(env.desired) },
  { title: 'Live', render: env => formatLiveTags(env).join(', ') || '—' },
  {
    title: 'Sync',
    render: env => (env.live ? <SyncStatusChip sync={env.live.sync} /> : '—'),
  },
  {
    title: 'Health',
    render: env =>
      env.live ? <HealthStatusChip health={env.live.health} /> : '—',
  },
  {
    title: 'Notes',
    render: env =>
      env.error?.message ?? (env.drift ? 'Drift: live differs from Git' : ''),
  },
];

/**
 * Entity tab: one row per environment, in promotion order.
 *
 * @public
 */
export function EntityGitopsContent() {
  const { entity } = useEntity();
  const gitopsApi = useApi(gitopsApiRef);
  const available = isGitopsAvailable(entity);
  const { value, loading, error, retry } = useAsyncRetry(
    async () =>
      available
        ? gitopsApi.getEntityEnvironments(getCompoundEntityRef(entity))
        : undefined,
    [gitopsApi, entity, available],
  );

  if (!available) {
    return <MissingAnnotationEmptyState annotation={GITOPS_PATH_ANNOTATION} />;
  }
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;

  return (
    <Table<EnvironmentStatus>
      title="GitOps environments"
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={value?.environments ?? []}
      actions={[
        {
          icon: () => <span aria-label="refresh">⟳</span>,
          tooltip: 'Refresh',
          isFreeAction: true,
          onClick: () => retry(),
        },
      ]}
      emptyContent={
        <Typography style={{ padding: 16 }}>
          {value?.reason ?? 'No environments.'}
        </Typography>
      }
    />
  );
}
