import {
  Content,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, EntityRefLink } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  EnvironmentStatus,
  GITOPS_PATH_ANNOTATION,
} from '@goldenpath/plugin-gitops-common';
import useAsync from 'react-use/esm/useAsync';
import { gitopsApiRef } from '../../api';
import { formatDesired, formatLiveTags } from '../format';
import { HealthStatusChip, SyncStatusChip } from '../StatusChips';

interface Row {
  entityRef: string;
  environments: Record<string, EnvironmentStatus>;
}

function Cell(props: { env?: EnvironmentStatus }) {
  const { env } = props;
  if (!env) return <>—</>;
  if (env.error) return <>{env.error.message}</>;
  const tags = formatLiveTags(env);
  return (
    <>
      {tags.length ? tags.join(', ') : formatDesired(env.desired)}
      {env.drift ? ' (drift)' : ''}
      {env.live && (
        <>
          <br />
          <SyncStatusChip sync={env.live.sync} />{' '}
          <HealthStatusChip health={env.live.health} />
        </>
      )}
    </>
  );
}

/**
 * Catalog-wide page: components as rows, environments as columns.
 *
 * @public
 */
export function GitopsStatusPage() {
  const catalogApi = useApi(catalogApiRef);
  const gitopsApi = useApi(gitopsApiRef);
  const { value, loading, error } = useAsync(async () => {
    const [profile, entities] = await Promise.all([
      gitopsApi.getProfile(),
      catalogApi.getEntities({
        filter: {
          kind: 'Component',
          [`metadata.annotations.${GITOPS_PATH_ANNOTATION}`]:
            CATALOG_FILTER_EXISTS,
        },
        fields: ['kind', 'metadata.name', 'metadata.namespace'],
      }),
    ]);
    const refs = entities.items.map(e => stringifyEntityRef(e));
    const statuses = refs.length
      ? await gitopsApi.queryEnvironments(refs)
      : { items: [] };
    const rows: Row[] = statuses.items.map(item => ({
      entityRef: item.entityRef,
      environments: Object.fromEntries(
        item.environments.map(env => [env.name, env]),
      ),
    }));
    return { profile, rows };
  }, [catalogApi, gitopsApi]);

  const columns: TableColumn<Row>[] = [
    {
      title: 'Component',
      field: 'entityRef',
      render: row => <EntityRefLink entityRef={row.entityRef} />,
    },
    ...(value?.profile.environments ?? []).map(env => ({
      title: env.name,
      render: (row: Row) => <Cell env={row.environments[env.name]} />,
    })),
  ];

  return (
    <Page themeId="tool">
      <Header
        title="GitOps status"
        subtitle="Every component, every environment"
      />
      <Content>
        {loading && <Progress />}
        {error && <ResponseErrorPanel error={error} />}
        {value && (
          <Table<Row>
            title="Components"
            options={{ paging: true, pageSize: 50, padding: 'dense' }}
            columns={columns}
            data={value.rows}
          />
        )}
      </Content>
    </Page>
  );
}
