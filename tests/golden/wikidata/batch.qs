CREATE
LAST	Len	"Analyzing And Editing Inner Mechanisms"
LAST	P31	Q13442814	S854	"https://aclanthology.org/2024.acl-long.1"	S813	+2026-11-26T00:00:00Z/11
LAST	P1476	en:"Analyzing And Editing Inner Mechanisms"	S854	"https://aclanthology.org/2024.acl-long.1"	S813	+2026-11-27T00:00:00Z/11
LAST	P356	"10.18653/V1/2024.ACL-LONG.1"	S854	"https://aclanthology.org/2024.acl-long.1"	S813	+2026-11-25T00:00:00Z/11
LAST	P577	+2024-08-01T00:00:00Z/10	S854	"https://aclanthology.org/2024.acl-long.1"	S813	+2026-11-26T00:00:00Z/11
LAST	P1433	Q900000150	S854	"https://aclanthology.org/2024.acl-long.1"	S813	+2026-11-26T00:00:00Z/11
LAST	P2093	"Max Lamparth"	P1545	"1"	S854	"https://aclanthology.org/2024.acl-long.1"	S813	+2026-11-24T00:00:00Z/11
LAST	P50	Q900000160	P1545	"2"	S854	"https://aclanthology.org/2024.acl-long.1"	S813	+2026-11-24T00:00:00Z/11
CREATE
LAST	Len	"Analyzing And Editing Inner Mechanisms"
LAST	P31	Q580922	S248	Q118398	S854	"https://arxiv.org/abs/2302.12461"	S813	+2026-11-23T00:00:00Z/11
LAST	P1476	en:"Analyzing And Editing Inner Mechanisms"	S248	Q118398	S854	"https://arxiv.org/abs/2302.12461"	S813	+2026-11-20T00:00:00Z/11
LAST	P818	"2302.12461"	S248	Q118398	S854	"https://arxiv.org/abs/2302.12461"	S813	+2026-11-23T00:00:00Z/11
LAST	P356	"10.48550/ARXIV.2302.12461"	S248	Q118398	S854	"https://arxiv.org/abs/2302.12461"	S813	+2026-11-23T00:00:00Z/11
LAST	P577	+2023-02-24T00:00:00Z/11	S248	Q118398	S854	"https://arxiv.org/abs/2302.12461"	S813	+2026-11-22T00:00:00Z/11
LAST	P2093	"Max Lamparth"	P1545	"1"	S248	Q118398	S854	"https://arxiv.org/html/2302.12461v3"	S813	+2026-11-21T00:00:00Z/11
LAST	P50	Q900000160	P1545	"2"	S248	Q118398	S854	"https://arxiv.org/html/2302.12461v3"	S813	+2026-11-21T00:00:00Z/11
