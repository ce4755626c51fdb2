from nhi_warehouse.quality.cli import main

raise SystemExit(main())
