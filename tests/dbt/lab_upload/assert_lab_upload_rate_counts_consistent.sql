-- Every count of lab_upload_rate is within its denominator and every rate within [0, 1]
-- (domain spec §7; source 003): uploaded in time <= responsible lines, within 24 h <= uploaded,
-- uploaded + late + not uploaded = responsible, responsible = claimed − delegated (uploaded by a
-- 交付機構 for the claimant) + assisted (uploaded for others), delegated and assisted uploads
-- within their lines, unverified points <= claimed points, uploading institutions <= those that
-- should upload; rates are null exactly when their denominator is 0.

select *
from {{ ref('lab_upload_rate') }}
where uploaded_orders > responsible_orders
    or timely_24h_orders > uploaded_orders
    or uploaded_orders + late_uploaded_orders + not_uploaded_orders <> responsible_orders
    or responsible_orders <> claimed_orders - delegated_orders + assisted_orders
    or delegated_orders > claimed_orders
    or delegated_uploaded_orders > delegated_orders
    or assisted_uploaded_orders > assisted_orders
    or assisted_uploaded_orders > uploaded_orders
    or claimed_orders < 0
    or unverified_points > claimed_points
    or unverified_points < 0
    or reward_points < 0
    or uploading_institutions > institutions_should_upload
    or upload_rate < 0 or upload_rate > 1
    or timely_24h_rate < 0 or timely_24h_rate > 1
    or claimed_upload_rate < 0 or claimed_upload_rate > 1
    or institution_upload_share < 0 or institution_upload_share > 1
    or (responsible_orders > 0 and (upload_rate is null or timely_24h_rate is null))
    or (responsible_orders = 0 and (upload_rate is not null or timely_24h_rate is not null))
    or (claimed_orders = 0 and claimed_upload_rate is not null)
