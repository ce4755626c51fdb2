-- Every outlier is above its peer value, has at least the minimum executions, and its peer
-- group has at least the minimum number of institutions.

select *
from {{ ref('reexam_institution_outliers') }}
where not (reexec_rate > peer_reexec_rate)
    or executions < {{ var('reexam_outlier_min_executions', 30) | int }}
    or peer_institutions < {{ var('reexam_outlier_min_peers', 5) | int }}
    or reexecutions > executions
