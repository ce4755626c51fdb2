-- Every count of lab_upload_rate is within its denominator and every rate within [0, 1]:
-- uploaded <= claimed (the invariant of domain spec §7), timely (24 h) <= uploaded, laboratory
-- uploads <= uploaded, uploaded + late + not uploaded = claimed, unverified points <= claimed
-- points; rates are null exactly when there are no claimed orders.

select *
from {{ ref('lab_upload_rate') }}
where uploaded_orders > claimed_orders
    or timely_24h_orders > uploaded_orders
    or uploaded_by_other_orders > uploaded_orders
    or uploaded_orders + late_uploaded_orders + not_uploaded_orders <> claimed_orders
    or claimed_orders < 0
    or unverified_points > claimed_points
    or unverified_points < 0
    or reward_points < 0
    or (uploaded_orders = 0 and reward_points <> 0)
    or upload_rate < 0 or upload_rate > 1
    or timely_24h_rate < 0 or timely_24h_rate > 1
    or (claimed_orders > 0 and (upload_rate is null or timely_24h_rate is null))
    or (claimed_orders = 0 and (upload_rate is not null or timely_24h_rate is not null))
