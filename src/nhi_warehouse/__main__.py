from nhi_warehouse.cli import main

raise SystemExit(main())
