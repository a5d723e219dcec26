"""The known-venue table: exporter spellings in, one venue (or none) out.

The positive cases are venue strings as Google Scholar, DBLP (all three
styles), ACM DL, IEEE Xplore, arXiv, Semantic Scholar, the ACL Anthology,
bioRxiv, Zotero and JabRef write them; the negative ones are the near misses
that must never borrow a famous venue's name (workshops, Findings, companion
and adjunct volumes, venues whose names merely share words).
"""

from __future__ import annotations

import time
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pubsite import venuetable
from pubsite.venuetable import KINDS, KnownVenue, match_venue, normalize_venue, table_stats

POSITIVE: list[tuple[str, str]] = [
    # Verbatim from real exports: Scholar, DBLP, ACM, IEEE, arXiv, Semantic Scholar,
    # ACL Anthology, bioRxiv/medRxiv, Zotero, JabRef.
    ('Proceedings of the 56th Annual ACM Symposium on Theory of Computing, STOC 2024, Vancouver, BC, Canada, June 24-28, 2024', 'STOC'),
    ('STOC', 'STOC'),
    ('CoRR', 'arXiv'),
    ('SIAM J. Comput.', 'SICOMP'),
    ('ACM Comput. Surv.', 'CSUR'),
    ('ACM Trans. Intell. Syst. Technol.', 'TIST'),
    ('ArXiv', 'arXiv'),
    ('arXiv preprint arXiv:2206.06090', 'arXiv'),
    ('arXiv:1706.05125 [cs]', 'arXiv'),
    ('arXiv, preprint arXiv:2004.09125.', 'arXiv'),
    ('bioRxiv', 'bioRxiv'),
    ('medRxiv', 'medRxiv'),
    ('International Journal of Computer Vision', 'IJCV'),
    ('IEEE Transactions on Network Science and Engineering', 'TNSE'),
    ('Advances in neural information processing systems', 'NeurIPS'),
    ('Advances in Neural Information Processing Systems', 'NeurIPS'),
    ('Scientific Reports', 'Sci. Rep.'),
    ('IEEE Transactions on Pattern Analysis and Machine Intelligence', 'TPAMI'),
    ('Transactions of the Association for Computational Linguistics', 'TACL'),
    ('IEEE Transactions on Medical Imaging', 'TMI'),
    ('The Twelfth International Conference on Learning Representations', 'ICLR'),
    ('International Conference on Machine Learning', 'ICML'),
    ('International Conference for Learning Representations (ICLR)', 'ICLR'),
    ('EMNLP', 'EMNLP'),
    ('2024 IEEE International Conference on Robotics and Automation (ICRA)', 'ICRA'),
    ('2019 IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)', 'CVPR'),
    ('10th International Conference on Learning Representations (ICLR)', 'ICLR'),
    ('Proceedings of the 2023 CHI Conference on Human Factors in Computing Systems', 'CHI'),
    ('Proceedings of the 2016 CHI Conference on Human Factors in Computing Systems', 'CHI'),
    ('2019 IEEE/ACM 27th International Conference on Program Comprehension (ICPC)', 'ICPC'),
    ('Proceedings of the Thirteenth Language Resources and Evaluation Conference', 'LREC'),
    ('Proceedings of the 62nd Annual Meeting of the Association for Computational Linguistics (Volume 1: Long Papers)', 'ACL'),
    ('Proceedings of the 61st Annual Meeting of the Association for Computational Linguistics (Volume 1: Long Papers)', 'ACL'),
    ('Proceedings of the 31st International Conference on Computational Linguistics', 'COLING'),
    ('Proceedings of the 18th Conference of the European Chapter of the Association for Computational Linguistics (Volume 1: Long Papers)', 'EACL'),
    ('Proceedings of the 17th Conference of the European Chapter of the Association for Computational Linguistics', 'EACL'),
    ('Proceedings of The 12th International Workshop on Semantic Evaluation', 'SemEval'),
    # The venues of a real homepage, as written there and as their exports spell them.
    ('Conference on Machine Learning and Systems (MLSys 2023)', 'MLSys'),
    ('International Conference on Machine Learning (ICML 2023)', 'ICML'),
    ('Empirical Methods in Natural Language Processing (EMNLP 2022)', 'EMNLP'),
    ('Design Automation Conference (DAC 2022)', 'DAC'),
    ('Proceedings of the 59th ACM/IEEE Design Automation Conference', 'DAC'),
    ('USENIX Security Symposium', 'USENIX Security'),
    ('33rd USENIX Security Symposium (USENIX Security 24)', 'USENIX Security'),
    ('IEEE INFOCOM 2025-IEEE Conference on Computer Communications', 'INFOCOM'),
    ('IEEE INFOCOM 2023 - IEEE Conference on Computer Communications, New York City, NY, USA, May 17-20, 2023', 'INFOCOM'),
    # ISO/DBLP abbreviations, ordinals in words, DBLP place-and-date tails.
    ('Proc. VLDB Endow.', 'PVLDB'),
    ('Proceedings of the VLDB Endowment', 'PVLDB'),
    ('Proceedings of the Thirty-Seventh AAAI Conference on Artificial Intelligence', 'AAAI'),
    ('Thirty-Seventh AAAI Conference on Artificial Intelligence, AAAI 2023, Thirty-Fifth Conference on Innovative Applications of Artificial Intelligence, IAAI 2023, Thirteenth Symposium on Educational Advances in Artificial Intelligence, EAAI 2023, Washington, DC, USA, February 7-14, 2023', 'AAAI'),
    ("ICML '23", 'ICML'),
    ('Proceedings of the 40th International Conference on Machine Learning, ICML 2023, 23-29 July 2023, Honolulu, Hawaii, USA', 'ICML'),
    ('The Eleventh International Conference on Learning Representations, ICLR 2023, Kigali, Rwanda, May 1-5, 2023', 'ICLR'),
    ('Advances in Neural Information Processing Systems 36: Annual Conference on Neural Information Processing Systems 2023, NeurIPS 2023, New Orleans, LA, USA, December 10 - 16, 2023', 'NeurIPS'),
    ('32nd USENIX Security Symposium, USENIX Security 2023, Anaheim, CA, USA, August 9-11, 2023', 'USENIX Security'),
    ('Proceedings of the 2023 ACM SIGSAC Conference on Computer and Communications Security, CCS 2023, Copenhagen, Denmark, November 26-30, 2023', 'CCS'),
    ('44th IEEE Symposium on Security and Privacy, SP 2023, San Francisco, CA, USA, May 21-25, 2023', 'S&P'),
    ('2023 IEEE Symposium on Security and Privacy (SP)', 'S&P'),
    ('Findings of the Association for Computational Linguistics: EMNLP 2023, Singapore, December 6-10, 2023', 'Findings of EMNLP'),
    ('Findings of the Association for Computational Linguistics: EMNLP 2023', 'Findings of EMNLP'),
    ('Findings of the Association for Computational Linguistics: ACL 2024', 'Findings of ACL'),
    ('Proceedings of the 2023 Conference on Empirical Methods in Natural Language Processing, EMNLP 2023, Singapore, December 6-10, 2023', 'EMNLP'),
    ('Proceedings of the 61st Annual Meeting of the Association for Computational Linguistics (Volume 1: Long Papers), ACL 2023, Toronto, Canada, July 9-14, 2023', 'ACL'),
    ('Proceedings of the ACM Web Conference 2023, WWW 2023, Austin, TX, USA, 30 April 2023 - 4 May 2023', 'WWW'),
    ('Proceedings of the ACM Web Conference 2023', 'WWW'),
    ('The Web Conference', 'WWW'),
    ('Proceedings of the 59th ACM/IEEE Design Automation Conference, DAC 2022, San Francisco, California, USA, July 10 - 14, 2022', 'DAC'),
    ('IEEE/CVF Conference on Computer Vision and Pattern Recognition, CVPR 2022, New Orleans, LA, USA, June 18-24, 2022', 'CVPR'),
    ('IEEE/CVF International Conference on Computer Vision, ICCV 2023, Paris, France, October 1-6, 2023', 'ICCV'),
    ('Computer Vision - ECCV 2022 - 17th European Conference, Tel Aviv, Israel, October 23-27, 2022, Proceedings, Part XXIII', 'ECCV'),
    ('Computer Vision – ECCV 2022: 17th European Conference, Tel Aviv, Israel, October 23–27, 2022, Proceedings, Part XXIII', 'ECCV'),
    ('Medical Image Computing and Computer Assisted Intervention - MICCAI 2023 - 26th International Conference, Vancouver, BC, Canada, October 8-12, 2023, Proceedings, Part I', 'MICCAI'),
    ('Proceedings of the Thirty-Second International Joint Conference on Artificial Intelligence, IJCAI 2023, 19th-25th August 2023, Macao, SAR, China', 'IJCAI'),
    ('International Conference on Artificial Intelligence and Statistics, 25-27 April 2023, Palau de Congressos, Valencia, Spain', 'AISTATS'),
    ('Proceedings of the 29th ACM SIGKDD Conference on Knowledge Discovery and Data Mining, KDD 2023, Long Beach, CA, USA, August 6-10, 2023', 'KDD'),
    ('17th USENIX Symposium on Operating Systems Design and Implementation, OSDI 2023, Boston, MA, USA, July 10-12, 2023', 'OSDI'),
    ('Proceedings of the 29th Symposium on Operating Systems Principles, SOSP 2023, Koblenz, Germany, October 23-26, 2023', 'SOSP'),
    ('Proceedings of Machine Learning and Systems 2023, MLSys 2023, Miami, FL, USA, June 4-8, 2023', 'MLSys'),
    ('IEEE International Conference on Robotics and Automation, ICRA 2023, London, UK, May 29 - June 2, 2023', 'ICRA'),
    ('Conference on Robot Learning, CoRL 2023, 6-9 November 2023, Atlanta, GA, USA', 'CoRL'),
    ('Robotics: Science and Systems XIX, Daegu, Republic of Korea, July 10-14, 2023', 'RSS'),
    ('IEEE International Conference on Acoustics, Speech and Signal Processing ICASSP 2023, Rhodes Island, Greece, June 4-10, 2023', 'ICASSP'),
    # IEEE Xplore's "ACRO YEAR - YEAR Full Name (ACRO)" and ACM's "ACRO '23: ...".
    ('ICASSP 2023 - 2023 IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP)', 'ICASSP'),
    ('ICASSP 2020-2020 IEEE international conference on acoustics, speech and signal processing (ICASSP)', 'ICASSP'),
    ('Interspeech 2023', 'Interspeech'),
    ('Proc. Interspeech 2023', 'Interspeech'),
    ('INTERSPEECH 2023 – 24th Annual Conference of the International Speech Communication Association', 'Interspeech'),
    ('Interspeech 2023, 24th Annual Conference of the International Speech Communication Association, Dublin, Ireland, 20-24 August 2023', 'Interspeech'),
    ('Proceedings of the 2019 Conference of the North American Chapter of the Association for Computational Linguistics: Human Language Technologies, Volume 1 (Long and Short Papers)', 'NAACL'),
    ('Proceedings of the 2019 Conference on Empirical Methods in Natural Language Processing and the 9th International Joint Conference on Natural Language Processing (EMNLP-IJCNLP)', 'EMNLP'),
    ('Proceedings of the 59th Annual Meeting of the Association for Computational Linguistics and the 11th International Joint Conference on Natural Language Processing (Volume 1: Long Papers)', 'ACL'),
    ('SC22: International Conference for High Performance Computing, Networking, Storage and Analysis', 'SC'),
    ("CHI '23: Proceedings of the 2023 CHI Conference on Human Factors in Computing Systems", 'CHI'),
    ('Proceedings of the 36th Annual ACM Symposium on User Interface Software and Technology', 'UIST'),
    ('Proceedings of the 50th Annual International Symposium on Computer Architecture', 'ISCA'),
    ('Proceedings of the 56th Annual IEEE/ACM International Symposium on Microarchitecture', 'MICRO'),
    ('MICRO', 'MICRO'),
    ('IEEE Micro', 'IEEE Micro'),
    ('2023 IEEE International Symposium on High-Performance Computer Architecture (HPCA)', 'HPCA'),
    ('2022 IEEE/ACM International Conference On Computer Aided Design (ICCAD)', 'ICCAD'),
    ('2023 Design, Automation & Test in Europe Conference & Exhibition (DATE)', 'DATE'),
    ('Design, Automation & Test in Europe Conference & Exhibition, DATE 2023, Antwerp, Belgium, April 17-19, 2023', 'DATE'),
    ('Proceedings of the 28th ACM International Conference on Architectural Support for Programming Languages and Operating Systems, Volume 2', 'ASPLOS'),
    ('Proceedings of the Eighteenth European Conference on Computer Systems', 'EuroSys'),
    ('2023 USENIX Annual Technical Conference (USENIX ATC 23)', 'USENIX ATC'),
    ('30th Annual Network and Distributed System Security Symposium, NDSS 2023, San Diego, California, USA, February 27 - March 3, 2023', 'NDSS'),
    ('Proceedings 2023 Network and Distributed System Security Symposium', 'NDSS'),
    ('50th International Colloquium on Automata, Languages, and Programming, ICALP 2023, July 10-14, 2023, Paderborn, Germany', 'ICALP'),
    ('Proceedings of the 2023 Annual ACM-SIAM Symposium on Discrete Algorithms (SODA)', 'SODA'),
    ('2023 IEEE 64th Annual Symposium on Foundations of Computer Science (FOCS)', 'FOCS'),
    ('Proceedings of the 31st ACM Joint European Software Engineering Conference and Symposium on the Foundations of Software Engineering', 'ESEC/FSE'),
    ('2023 IEEE/ACM 45th International Conference on Software Engineering (ICSE)', 'ICSE'),
    ('Proceedings of the 44th International Conference on Software Engineering', 'ICSE'),
    ('Proc. ACM Program. Lang.', 'PACMPL'),
    ('Proc. ACM Hum.-Comput. Interact.', 'PACMHCI'),
    ('ACM Trans. Graph.', 'TOG'),
    ('ACM Transactions on Graphics (TOG)', 'TOG'),
    ('ACM SIGGRAPH 2023 Conference Proceedings', 'SIGGRAPH'),
    ("SIGGRAPH '23: Special Interest Group on Computer Graphics and Interactive Techniques Conference Conference Papers", 'SIGGRAPH'),
    ('SIGGRAPH Asia 2023 Conference Papers', 'SIGGRAPH Asia'),
    ('2023 IEEE/RSJ International Conference on Intelligent Robots and Systems (IROS)', 'IROS'),
    ('IEEE Robotics and Automation Letters', 'RA-L'),
    ('IEEE Robotics Autom. Lett.', 'RA-L'),
    ('IEEE Trans. Robotics', 'T-RO'),
    ('The International Journal of Robotics Research', 'IJRR'),
    ('Int. J. Robotics Res.', 'IJRR'),
    # Journals and preprint servers.
    ('Nature', 'Nature'),
    ('Nat.', 'Nature'),
    ('Science', 'Science'),
    ('Proceedings of the National Academy of Sciences', 'PNAS'),
    ('Proc. Natl. Acad. Sci. U.S.A.', 'PNAS'),
    ('Proc. Natl. Acad. Sci. {USA}', 'PNAS'),
    ('Nature Communications', 'Nat. Commun.'),
    ('Nat. Commun.', 'Nat. Commun.'),
    ('PloS one', 'PLOS ONE'),
    ('PLOS ONE', 'PLOS ONE'),
    ('Bioinformatics', 'Bioinformatics'),
    ('Communications of the ACM', 'CACM'),
    ('Commun. ACM', 'CACM'),
    ('Journal of the American Statistical Association', 'JASA'),
    ('IEEE Signal Processing Letters', 'SPL'),
    ('IEEE/ACM Transactions on Audio, Speech, and Language Processing', 'TASLP'),
    ('IEEE ACM Trans. Audio Speech Lang. Process.', 'TASLP'),
    ('SSRN Electronic Journal', 'SSRN'),
    ('OpenReview.net', 'OpenReview'),
    ('Research Square', 'Research Square'),
    ('ChemRxiv', 'ChemRxiv'),
    ('TechRxiv', 'TechRxiv'),
    ('Journal of Machine Learning Research', 'JMLR'),
    ('J. Mach. Learn. Res.', 'JMLR'),
    ('Machine Learning', 'MLJ'),
    ('Transactions on Machine Learning Research', 'TMLR'),
    # Scholar, ACM and Semantic Scholar spellings across fields.
    ('Conference on Learning Theory', 'COLT'),
    ('Uncertainty in Artificial Intelligence', 'UAI'),
    ('Proceedings of the Thirty-Ninth Conference on Uncertainty in Artificial Intelligence', 'UAI'),
    ('Proceedings of the 2023 International Conference on Autonomous Agents and Multiagent Systems', 'AAMAS'),
    ('Adaptive Agents and Multi-Agent Systems', 'AAMAS'),
    ('J. Artif. Intell. Res.', 'JAIR'),
    ('Artif. Intell.', 'AIJ'),
    ('Artificial Intelligence', 'AIJ'),
    ('Proceedings of the 20th International Conference on Principles of Knowledge Representation and Reasoning', 'KR'),
    ('Proceedings of the International Conference on Automated Planning and Scheduling', 'ICAPS'),
    ('Proceedings of the 27th Conference on Computational Natural Language Learning (CoNLL)', 'CoNLL'),
    ('North American Chapter of the Association for Computational Linguistics', 'NAACL'),
    ('Annual Meeting of the Association for Computational Linguistics', 'ACL'),
    ('Proceedings of the IEEE/CVF Winter Conference on Applications of Computer Vision', 'WACV'),
    ('British Machine Vision Conference', 'BMVC'),
    ('Computer Vision and Pattern Recognition', 'CVPR'),
    ('Proceedings of the IEEE/CVF conference on computer vision and pattern recognition', 'CVPR'),
    ('Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition', 'CVPR'),
    ('Proceedings of the IEEE/CVF international conference on computer vision', 'ICCV'),
    ('European conference on computer vision', 'ECCV'),
    ('IEEE Trans. Pattern Anal. Mach. Intell.', 'TPAMI'),
    ('Proceedings of the 29th Symposium on Operating Systems Principles', 'SOSP'),
    ('Proceedings of the 2023 ACM Symposium on Cloud Computing', 'SoCC'),
    ('21st USENIX Conference on File and Storage Technologies (FAST 23)', 'FAST'),
    ('20th USENIX Symposium on Networked Systems Design and Implementation (NSDI 23)', 'NSDI'),
    ('Proceedings of the ACM SIGCOMM 2023 Conference', 'SIGCOMM'),
    ('Proceedings of the 29th Annual International Conference on Mobile Computing and Networking', 'MobiCom'),
    ('Proceedings of the 18th International Conference on emerging Networking EXperiments and Technologies', 'CoNEXT'),
    ('Proceedings of the 2023 ACM on Internet Measurement Conference', 'IMC'),
    ('IEEE/ACM Transactions on Networking', 'ToN'),
    ('IEEE/ACM Trans. Netw.', 'ToN'),
    ('IEEE Transactions on Dependable and Secure Computing', 'TDSC'),
    ('IEEE Trans. Inf. Forensics Secur.', 'TIFS'),
    ('Proceedings of the 2023 International Conference on Management of Data', 'SIGMOD'),
    ('SIGMOD Conference', 'SIGMOD'),
    ('2023 IEEE 39th International Conference on Data Engineering (ICDE)', 'ICDE'),
    ('Proceedings of the Sixteenth ACM International Conference on Web Search and Data Mining', 'WSDM'),
    ('Proceedings of the 32nd ACM International Conference on Information and Knowledge Management', 'CIKM'),
    ('Proceedings of the 46th International ACM SIGIR Conference on Research and Development in Information Retrieval', 'SIGIR'),
    ('Proceedings of the 17th ACM Conference on Recommender Systems', 'RecSys'),
    ('IEEE Transactions on Computers', 'TC'),
    ('IEEE Transactions on Computer-Aided Design of Integrated Circuits and Systems', 'TCAD'),
    ('Proceedings of the ACM Conference on Computer Supported Cooperative Work', 'CSCW'),
    ('ACM Trans. Comput.-Hum. Interact.', 'TOCHI'),
    ('Proceedings of the 28th International Conference on Intelligent User Interfaces', 'IUI'),
    ('Proceedings of the 2023 ACM Designing Interactive Systems Conference', 'DIS'),
    ('38th Computational Complexity Conference, CCC 2023, July 17-20, 2023, Warwick, UK', 'CCC'),
    ('14th Innovations in Theoretical Computer Science Conference, ITCS 2023, January 10-13, 2023, MIT, Cambridge, Massachusetts, USA', 'ITCS'),
    ('J. ACM', 'JACM'),
    ('Journal of the ACM', 'JACM'),
    ('2023 38th IEEE/ACM International Conference on Automated Software Engineering (ASE)', 'ASE'),
    ('Proceedings of the 32nd ACM SIGSOFT International Symposium on Software Testing and Analysis', 'ISSTA'),
    ('IEEE Trans. Software Eng.', 'TSE'),
    ('ACM Trans. Softw. Eng. Methodol.', 'TOSEM'),
    ('Proceedings of the 44th ACM SIGPLAN International Conference on Programming Language Design and Implementation', 'PLDI'),
    ('Proceedings of the 50th ACM SIGPLAN-SIGACT Symposium on Principles of Programming Languages', 'POPL'),
    ('ACM Transactions on Programming Languages and Systems', 'TOPLAS'),
    ('Computer Graphics Forum', 'CGF'),
    ('Comput. Graph. Forum', 'CGF'),
    ('2023 IEEE International Conference on Robotics and Automation (ICRA)', 'ICRA'),
    ('Conference on Robot Learning', 'CoRL'),
    ('Nature Machine Intelligence', 'Nat. Mach. Intell.'),
    ('Nature Methods', 'Nat. Methods'),
    ('Conference on Empirical Methods in Natural Language Processing', 'EMNLP'),
    ('Proceedings of the 2024 Joint International Conference on Computational Linguistics, Language Resources and Evaluation (LREC-COLING 2024)', 'LREC-COLING'),
    ('ICC 2023 - IEEE International Conference on Communications', 'ICC'),
    ('GLOBECOM 2022 - 2022 IEEE Global Communications Conference', 'GLOBECOM'),
    # Acronym and name together, DBLP condensed style, parenthesised tracks.
    ('ICML: International Conference on Machine Learning', 'ICML'),
    ('Proc. ICML', 'ICML'),
    ('NeurIPS', 'NeurIPS'),
    ('Advances in Neural Information Processing Systems 35 (NeurIPS 2022)', 'NeurIPS'),
    ('Advances in Neural Information Processing Systems (Datasets and Benchmarks Track)', 'NeurIPS Datasets and Benchmarks'),
    ('Proceedings of the Neural Information Processing Systems Track on Datasets and Benchmarks 1, NeurIPS Datasets and Benchmarks 2021, December 2021, virtual', 'NeurIPS Datasets and Benchmarks'),
    ('ICLR (Poster)', 'ICLR'),
    ('ACL (1)', 'ACL'),
    ('EMNLP (Findings)', 'Findings of EMNLP'),
    ('arXiv e-prints', 'arXiv'),
    ('CoRR abs/2408.03465', 'arXiv'),
    ('International Conference on Machine Learning and Applications', 'ICMLA'),
    # Semantic Scholar venue names and PMLR / OpenReview booktitles
    ('Symposium on the Theory of Computing', 'STOC'),
    ('IEEE International Conference on Computer Vision', 'ICCV'),
    ('2017 IEEE International Conference on Computer Vision (ICCV)', 'ICCV'),
    ('ACM-SIGPLAN Symposium on Programming Language Design and Implementation', 'PLDI'),
    ('International Conference on Human Factors in Computing Systems', 'CHI'),
    ('Proceedings of Thirty Sixth Conference on Learning Theory', 'COLT'),
    ('Proceedings of The 26th International Conference on Artificial Intelligence and Statistics', 'AISTATS'),
    ('Proceedings of The 7th Conference on Robot Learning', 'CoRL'),
    ('Proceedings of the Fortieth Conference on Uncertainty in Artificial Intelligence', 'UAI'),
    ('Computer graphics forum (Print)', 'CGF'),
    ('Electron. Colloquium Comput. Complex.', 'ECCC'),
    ('Proceedings of the 30th ACM SIGKDD Conference on Knowledge Discovery and Data Mining', 'KDD'),
    ('ACM SIGGRAPH Conference and Exhibition on Computer Graphics and Interactive Techniques in Asia', 'SIGGRAPH Asia'),
    ('ACM/IEEE International Conference on Mobile Computing and Networking', 'MobiCom'),
    ('International Conference on Software Engineering', 'ICSE'),
    ('ESEC/SIGSOFT FSE', 'ESEC/FSE'),
    ('Micro', 'MICRO'),
    ('Proceedings of the National Academy of Sciences of the United States of America', 'PNAS'),
    ('PLoS ONE', 'PLOS ONE'),
    ('Conference on Computer and Communications Security', 'CCS'),
    ('The Web Conference', 'WWW'),
    ('Computer Vision – ECCV 2024', 'ECCV'),
    ('Neural Information Processing Systems', 'NeurIPS'),
]

# Near misses: none of these is the venue whose name it contains.
NEGATIVE: list[str] = [
    '2023 IEEE/ACM 45th International Conference on Software Engineering: New Ideas and Emerging Results (ICSE-NIER)',
    'Proceedings of the 2014 ACM International Joint Conference on Pervasive and Ubiquitous Computing: Adjunct Publication',
    'IEEE INFOCOM 2019 - IEEE Conference on Computer Communications Workshops (INFOCOM WKSHPS)',
    'VLDB Workshop on Data Management for End-to-End Machine Learning',
    'Companion Proceedings of the ACM Web Conference 2023, WWW 2023, Austin, TX, USA, 30 April 2023 - 4 May 2023',
    'Computer Vision - ECCV 2022 Workshops - Tel Aviv, Israel, October 23-27, 2022, Proceedings, Part I',
    'Proceedings of the 61st Annual Meeting of the Association for Computational Linguistics (Volume 3: System Demonstrations)',
    'Proceedings of the 2022 Conference on Empirical Methods in Natural Language Processing: Industry Track',
    'Extended Abstracts of the 2023 CHI Conference on Human Factors in Computing Systems',
    'Adjunct Proceedings of the 36th Annual ACM Symposium on User Interface Software and Technology',
    'Proceedings of the ACM/IEEE 44th International Conference on Software Engineering: Companion Proceedings',
    'ACM SIGGRAPH 2023 Posters',
    'Workshop on Efficient Systems for Foundation Models at ICML 2023',
    'ICML Workshop on Federated Learning',
    'ICML 2023 Workshop on Structured Probabilistic Inference',
    'Findings of the Association for Computational Linguistics',
    'Companion Proceedings of the ACM Web Conference 2023',
    'Adjunct Proceedings of the 2023 CHI Conference',
    'Proceedings of Machine Learning Research',
    'Workshop on Machine Learning',
    'IEEE Transactions on Computational Imaging',
    'Machine Learning, Optimization, and Data Science - 8th International Conference, LOD 2022, Certosa di Pontignano, Italy, September 18-22, 2022',
    '2023 IEEE/CVF Conference on Computer Vision and Pattern Recognition Workshops (CVPRW)',
    'Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR) Workshops',
    'IEEE/CVF International Conference on Computer Vision Workshops, ICCVW 2023, Paris, France, October 2-6, 2023',
    'Software Engineering',
    'Computer Vision',
    'Security and Privacy',
    'ICML 2023, Workshop on Foo, Honolulu, July 2023',
    'Proceedings of the 1st ACM SIGSOFT International Workshop on Languages and Tools for Next-Generation Testing',
    'IST-Africa Conference Proceedings, 2011',
    'International Journal of Machine Learning and Cybernetics',
    'Neural Information Processing (ICONIP)',
    'International Conference on Neural Information Processing',
    'Proceedings of the IEEE International Conference on Computer Vision Workshops',
    'Artificial Intelligence Review',
    'Conference on Artificial Intelligence and Statistics Workshop',
    'Stabilization, Safety, and Security of Distributed Systems - 13th International Symposium, SSS 2011, Grenoble, France, October 10-12, 2011. Proceedings',
    'Procedia computer science',
    'IEEE Nanotechnology Magazine',
    'Journal of neurophysiology',
    'Proceedings of the ACM on Web Conference 2024 Companion',
    'Conference',
    'IEEE',
    'ACM',
    '',
    'Proceedings',
    'Nature Reviews Neuroscience',
    'Science China Information Sciences',
    'Findings',
    'SIGCOMM Workshop on Networking for AI',
    'NeurIPS 2023 Workshop on Machine Learning for Systems',
]


@pytest.mark.parametrize("text, short", POSITIVE)
def test_real_spellings_match(text: str, short: str) -> None:
    venue = match_venue(text)
    assert venue is not None, f"{text!r} (key {normalize_venue(text)!r}) matched nothing"
    assert venue.short == short


@pytest.mark.parametrize("text", NEGATIVE)
def test_near_misses_do_not_match(text: str) -> None:
    venue = match_venue(text)
    assert venue is None, f"{text!r} wrongly matched {venue}"


@pytest.mark.parametrize(
    "text, never",
    [
        ("International Conference on Machine Learning and Applications", "ICML"),
        ("Proceedings of the 22nd IEEE International Conference on Machine Learning and Applications, "
         "ICMLA 2023, Jacksonville, FL, USA, December 15-17, 2023", "ICML"),
        ("Journal of Machine Learning Research", "MLJ"),
        ("Machine Learning", "JMLR"),
        ("Machine Learning", "ICML"),
        ("Findings of the Association for Computational Linguistics: EMNLP 2023", "EMNLP"),
        ("Findings of the Association for Computational Linguistics: ACL 2023", "ACL"),
        ("Findings of the Association for Computational Linguistics: NAACL 2024", "NAACL"),
        ("Proceedings of the VLDB Endowment", "VLDB"),
        ("IEEE Micro", "MICRO"),
        ("IEEE Security & Privacy", "S&P"),
        ("Language Resources and Evaluation", "LREC"),
        ("Autonomous Agents and Multi-Agent Systems", "AAMAS"),
        ("Automated Software Engineering", "ASE"),
        ("World Wide Web", "WWW"),
        ("Theory of Computing", "STOC"),
        ("Proc. ACM Program. Lang.", "POPL"),
        ("Proc. ACM Hum.-Comput. Interact.", "CSCW"),
        ("SIGGRAPH Asia 2023 Conference Papers", "SIGGRAPH"),
        ("ACM Asia Conference on Computer and Communications Security", "CCS"),
        ("Asia and South Pacific Design Automation Conference", "DAC"),
    ],
)
def test_overlapping_names_stay_apart(text: str, never: str) -> None:
    venue = match_venue(text)
    assert venue is None or venue.short != never


@pytest.mark.parametrize(
    "text, kind",
    [
        ("arXiv preprint arXiv:2206.06090", "preprint"),
        ("CoRR", "preprint"),
        ("bioRxiv", "preprint"),
        ("OpenReview.net", "preprint"),
        ("IEEE Trans. Pattern Anal. Mach. Intell.", "journal"),
        ("Proc. VLDB Endow.", "journal"),
        ("Advances in Neural Information Processing Systems", "conference"),
        ("Proceedings of The 12th International Workshop on Semantic Evaluation", "workshop"),
    ],
)
def test_kinds(text: str, kind: str) -> None:
    venue = match_venue(text)
    assert venue is not None and venue.kind == kind


def test_full_names_for_display() -> None:
    assert match_venue("ICML") == KnownVenue("ICML", "International Conference on Machine Learning", "conference")
    assert match_venue("Proc. VLDB Endow.") == KnownVenue("PVLDB", "Proceedings of the VLDB Endowment", "journal")
    assert match_venue("arXiv preprint arXiv:2004.09125").name == "arXiv"


# ---------------------------------------------------------------- normalisation

@pytest.mark.parametrize(
    "text, key",
    [
        ("Proceedings of the 59th ACM/IEEE Design Automation Conference", "acm ieee design automation conference"),
        ("33rd USENIX Security Symposium (USENIX Security 24)", "usenix security symposium"),
        ("The Twelfth International Conference on Learning Representations",
         "international conference on learning representations"),
        ("Proceedings of the Thirty-Seventh AAAI Conference on Artificial Intelligence",
         "aaai conference on artificial intelligence"),
        ("In Proc. of the 1st Conference on Things", "conference on things"),
        ("ICML '23", "icml"),
        ("ICML ’23", "icml"),
        ("NeurIPS2023", "neurips"),
        ("International Conference on Machine Learning (ICML 2023)", "international conference on machine learning"),
        ("Computers &amp; Security", "computers and security"),
        ("Computers & Security", "computers and security"),
        ("Sch\u00f6lkopf Workshop on \u00c9tudes", "scholkopf workshop on etudes"),
        ("arXiv:1706.05125 [cs]", "arxiv"),
        ("Advances in Neural Information Processing Systems, vol. 37", "advances in neural information processing systems"),
        ("Proceedings of the 61st Annual Meeting of the Association for Computational Linguistics "
         "(Volume 1: Long Papers)", "annual meeting of association for computational linguistics"),
        # A parenthesis that names a different volume is kept.
        ("Proceedings of the 61st Annual Meeting of the Association for Computational Linguistics "
         "(Volume 3: System Demonstrations)",
         "annual meeting of association for computational linguistics system demonstrations"),
        ("Robotics: Science and Systems XIX", "robotics science and systems"),
        ("CHI '23: Proceedings of the 2023 CHI Conference on Human Factors in Computing Systems",
         "chi conference on human factors in computing systems"),
        # "Proceedings of the IEEE" is not the same as "IEEE".
        ("Proceedings of the IEEE", "proceedings of ieee"),
        ("", ""),
    ],
)
def test_normalize_venue(text: str, key: str) -> None:
    assert normalize_venue(text) == key


def test_normalize_is_idempotent_on_the_table() -> None:
    """Config spellings are normalised like exporter text, so a key must be a fixed point."""
    for entry in venuetable._load_entries():
        for spelling in [entry["short"], entry["name"], *entry.get("aliases", [])]:
            key = normalize_venue(spelling)
            assert normalize_venue(key) == key, spelling


# ---------------------------------------------------------------- the user's own spellings

def test_extra_adds_a_spelling_for_a_known_venue() -> None:
    text = "Proceedings of the 2022 Conference on Empirical Methods in Natural Language Processing: Industry Track"
    assert match_venue(text) is None
    venue = match_venue(text, {text: "EMNLP"})
    assert venue is not None and venue.short == "EMNLP"
    assert venue.name == "Conference on Empirical Methods in Natural Language Processing"


def test_extra_wins_over_the_table() -> None:
    assert match_venue("Machine Learning").short == "MLJ"
    venue = match_venue("Machine Learning", {"Machine Learning": "ICML"})
    assert venue is not None and venue.short == "ICML"


def test_extra_is_matched_after_normalisation() -> None:
    extra = {"Workshop on Obscure Things": "WOT"}
    venue = match_venue("Proceedings of the 3rd Workshop on Obscure Things, WOT 2023, Nowhere, June 2023", extra)
    assert venue is not None
    assert (venue.short, venue.kind) == ("WOT", "workshop")
    assert venue.name.startswith("Proceedings of the 3rd Workshop on Obscure Things")


def test_extra_short_name_is_case_insensitive_for_known_venues() -> None:
    venue = match_venue("My Lab's Favourite Conference", {"My Lab's Favourite Conference": "neurips"})
    assert venue is not None and venue.short == "NeurIPS"


def test_extra_that_does_not_apply_falls_through() -> None:
    assert match_venue("ICML", {"Something else": "X"}).short == "ICML"
    assert match_venue("Unknown Venue", {}) is None
    assert match_venue("Unknown Venue", None) is None


def test_remembered_answers_do_not_leak_between_sets_of_spellings() -> None:
    """Answers are memoised per venue string *and* spellings: another config gets its own."""
    text = "Machine Learning"
    assert match_venue(text, {text: "ICML"}).short == "ICML"
    assert match_venue(text, {text: "MyML"}).short == "MyML"
    assert match_venue(text, {"Something else": "X"}).short == "MLJ"
    assert match_venue(text).short == "MLJ"
    assert match_venue(text, {text: "ICML"}).short == "ICML"


def test_user_spellings_then_the_table_agree_with_probing_each_in_turn() -> None:
    """One pass over the candidate keys serves the user's spellings and then the table."""
    extra = {"Workshop on Obscure Things": "WOT"}
    items = tuple(extra.items())
    for text in ["IEEE/CVF Conference on Computer Vision and Pattern Recognition, CVPR 2022, New Orleans, LA, USA",
                 "Machine Learning, Optimization, and Data Science, 2023, Place", "ICML", "Unknown Venue"]:
        assert venuetable._match_with_extra.__wrapped__(text, items) == venuetable._match_table.__wrapped__(text)


# ---------------------------------------------------------------- the data file

@pytest.fixture(scope="module")
def entries() -> list[dict[str, Any]]:
    data = venuetable._load_entries()
    assert isinstance(data, list)
    return data


def test_every_entry_is_well_formed(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        assert set(entry) <= {"short", "name", "kind", "aliases"}, entry
        for field in ("short", "name", "kind"):
            assert isinstance(entry.get(field), str) and entry[field].strip(), (field, entry)
        assert entry["kind"] in KINDS, entry
        aliases = entry.get("aliases", [])
        assert isinstance(aliases, list) and all(isinstance(a, str) and a.strip() for a in aliases), entry


def test_table_has_no_problems() -> None:
    """Covers spellings claimed by two venues, short names used twice, bad kinds."""
    assert venuetable._table().problems == ()


def test_a_spelling_claimed_by_two_venues_is_reported() -> None:
    clash = [
        {"short": "AAA", "name": "Alpha Conference", "kind": "conference", "aliases": ["The A Meeting"]},
        {"short": "BBB", "name": "Beta Conference", "kind": "conference", "aliases": ["Proceedings of the A Meeting"]},
    ]
    problems = venuetable._build(clash).problems
    assert len(problems) == 1 and "AAA" in problems[0] and "BBB" in problems[0]


def test_malformed_entries_are_reported() -> None:
    bad = [
        {"short": "X", "name": "X Conference", "kind": "poster"},
        {"short": "Y", "kind": "journal"},
        {"short": "Z", "name": "Zeta", "kind": "journal", "aliases": "Zeta Journal"},
        {"short": "W", "name": "W Conference", "kind": "conference", "abbr": "W"},
        {"short": "V", "name": "V Conference", "kind": "conference"},
        {"short": "v", "name": "Other V", "kind": "journal"},  # short names must be unique
    ]
    problems = venuetable._build(bad).problems
    assert len(problems) == 5
    assert venuetable._build({"not": "a list"}).problems


def test_ambiguous_generated_variants_are_dropped() -> None:
    """Two venues that only differ by publisher prefix keep their exact names but lose the bare one."""
    table = venuetable._build([
        {"short": "A", "name": "IEEE Conference on Shared Topics", "kind": "conference"},
        {"short": "B", "name": "ACM Conference on Shared Topics", "kind": "conference"},
    ])
    assert table.problems == ()
    assert table.keys["ieee conference on shared topics"].short == "A"
    assert table.keys["acm conference on shared topics"].short == "B"
    assert "conference on shared topics" not in table.keys


def test_every_table_spelling_matches_its_own_venue(entries: list[dict[str, Any]]) -> None:
    for entry in entries:
        for spelling in [entry["short"], entry["name"], *entry.get("aliases", [])]:
            venue = match_venue(spelling)
            assert venue is not None and venue.short == entry["short"], spelling


def test_yaml_is_loaded_as_package_data() -> None:
    from importlib import resources

    text = resources.files("pubsite").joinpath("data/venues.yaml").read_text(encoding="utf-8")
    assert yaml.safe_load(text) == venuetable._load_entries()


def test_table_stats() -> None:
    venues, spellings = table_stats()
    assert venues >= 200
    assert spellings >= 600


def test_required_coverage() -> None:
    required = """
        NeurIPS ICML ICLR AISTATS COLT UAI JMLR TMLR MLSys AAAI IJCAI AAMAS KR ICAPS JAIR AIJ
        ACL EMNLP NAACL EACL COLING CoNLL TACL LREC Interspeech ICASSP CVPR ICCV ECCV WACV BMVC
        TPAMI IJCV OSDI SOSP EuroSys NSDI ASPLOS SoCC FAST PVLDB VLDB SIGCOMM INFOCOM MobiCom
        CoNEXT IMC ToN CCS NDSS TDSC TIFS SIGMOD ICDE KDD WWW WSDM CIKM SIGIR RecSys ISCA MICRO
        HPCA DAC ICCAD DATE SC TC TCAD CHI UIST CSCW TOCHI IUI DIS STOC FOCS SODA ICALP CCC ITCS
        SICOMP JACM ICSE ASE ISSTA TSE TOSEM PLDI POPL OOPSLA ICFP TOPLAS SIGGRAPH TOG CGF EG
        ICRA IROS RSS CoRL RA-L T-RO IJRR Nature Science PNAS CACM JASA SPL TASLP arXiv bioRxiv
        medRxiv SSRN OpenReview ChemRxiv TechRxiv
    """.split() + ["USENIX Security", "USENIX ATC", "S&P", "ESEC/FSE", "SIGGRAPH Asia", "Research Square",
                   "Findings of ACL", "Findings of EMNLP", "Findings of NAACL", "Nat. Commun.",
                   "Nat. Mach. Intell.", "Nat. Methods", "Sci. Rep.", "PLOS ONE", "Bioinformatics"]
    shorts = {venue.short for venue in venuetable._table().venues}
    assert not set(required) - shorts


def test_many_distinct_entries_are_fast() -> None:
    """A big site has thousands of distinct DBLP strings; each costs a few probes, not a table scan."""
    texts = [f"Proceedings of the {i}th International Conference on Machine Learning, ICML {2000 + i % 25}, "
             f"City {i}, Country, July {i % 28}-{i % 28 + 3}, {2000 + i % 25}" for i in range(3000)]
    venuetable._table()
    start = time.perf_counter()
    shorts = {match_venue(text).short for text in texts}
    elapsed = time.perf_counter() - start
    assert shorts == {"ICML"}
    assert elapsed < 5.0  # about 0.2 s on a laptop; generous for slow CI


def _unguarded_body_tokens(text: str, at_start: bool) -> list[str]:
    """Every step of ``_body_tokens`` applied unconditionally: what its guards must not change."""
    vt = venuetable
    text = text.replace("{", "").replace("}", "").replace("\\", " ")
    if at_start:
        text = vt._SERIES_LABEL.sub("", text)
    text = vt._AMPERSAND.sub(" and ", text)
    text = vt._BRACKETS.sub(" ", text)
    for _ in range(3):
        text, count = vt._PARENS.subn(vt._paren, text)
        if not count:
            break
    for pattern in (vt._APOSTROPHE_YEAR, vt._GLUED_YEAR, vt._VOLUME, vt._ORDINAL_NUMBER, vt._ORDINAL_WORD):
        text = pattern.sub(" ", text)
    return [tok for tok in vt._NON_ALNUM.split(text) if tok and not tok.isdigit() and tok != "the"]


_VENUE_PIECES = ["proceedings", " of the ", "first", "second", "third", "Twenty-Fifth", "59th", "2nd", " 2023",
                 "'23", "`99", "icml2020", "vol. 3", "Volume iv", "(", ")", "[cs]", "&amp;", "&", ":", "sc22: ",
                 "CHI '23: ", ",", " ", "workshop", "the", "12", "ieee"]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_VENUE_PIECES), min_size=1, max_size=10), st.booleans())
def test_body_tokens_skip_only_steps_that_would_change_nothing(pieces: list[str], at_start: bool) -> None:
    text = venuetable._fold("".join(pieces))
    assert venuetable._body_tokens(text, at_start) == _unguarded_body_tokens(text, at_start)


@pytest.mark.slow
def test_body_tokens_guards_on_every_corpus_venue() -> None:
    from pubsite import bib, venues

    from .conftest import SHARED

    seen = 0
    for path in sorted((SHARED / "corpora").glob("*.bib")) + sorted((SHARED / "exports").glob("*.bib")):
        for entry in bib.load([str(path)])[0]:
            raw = venues.raw_venue(entry.type, entry.field_dict)
            if raw:
                seen += 1
                for i, piece in enumerate(venuetable._fold(raw).split(",")):
                    assert venuetable._body_tokens(piece, i == 0) == _unguarded_body_tokens(piece, i == 0), raw
    assert seen > 10000


@pytest.fixture
def fresh_index(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """An empty user cache folder, and the table indexed anew on its next use (and after the test)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.delenv("PUBSITE_NO_TEMPLATE_CACHE", raising=False)
    venuetable._table.cache_clear()
    yield tmp_path / "pubsite" / "venues"
    venuetable._table.cache_clear()


def _indexed_anew() -> Any:
    return venuetable._build(venuetable._load_entries())


def test_the_index_kept_between_runs_is_the_table_indexed_anew(fresh_index: Any,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    expected = _indexed_anew()
    assert venuetable._table() == expected
    assert [p.name.endswith(".bin") for p in fresh_index.iterdir()] == [True]
    venuetable._table.cache_clear()
    monkeypatch.setattr(venuetable, "_build", lambda entries: pytest.fail("indexed again"))
    again = venuetable._table()
    assert again == expected
    assert all(again.keys[key] is again.by_short[again.keys[key].short.casefold()] for key in again.keys)


def test_a_damaged_index_is_made_again(fresh_index: Any) -> None:
    venuetable._table()
    (index,) = fresh_index.iterdir()
    index.write_bytes(index.read_bytes()[:100])
    venuetable._table.cache_clear()
    assert venuetable._table() == _indexed_anew()
    assert venuetable._read_index(str(index)) == _indexed_anew()  # written whole again


def test_an_edited_table_is_indexed_again(fresh_index: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    venuetable._table()
    (old,) = fresh_index.iterdir()
    edited = venuetable._source() + b"\n- short: ZZQ\n  name: Zeta Zeta Quorum\n  kind: workshop\n"
    monkeypatch.setattr(venuetable, "_source", lambda: edited)
    venuetable._table.cache_clear()
    assert venuetable._table().by_short["zzq"].name == "Zeta Zeta Quorum"
    (new,) = fresh_index.iterdir()  # the index of the old table is gone
    assert new != old


def test_no_index_is_kept_when_the_user_cache_is_off(fresh_index: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBSITE_NO_TEMPLATE_CACHE", "1")
    assert venuetable._table() == _indexed_anew()
    assert not fresh_index.exists()
